package dev.nano;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Runs test code on one CPU: NANO hands a new connection to the event loop numbered like the CPU
 * it was opened from, so a test that wants a connection on a given loop opens it from that CPU.
 */
public final class CpuAffinity {

    /** Test code that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    private static final int MASK_BYTES = 128;   // cpu_set_t: 1024 CPUs

    private CpuAffinity() {
    }

    /** Runs {@code action} with the calling thread pinned to {@code cpu}, then restores its affinity. */
    public static void runOn(int cpu, Action action) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment original = arena.allocate(MASK_BYTES);
            call("sched_getaffinity", original);
            MemorySegment pinned = arena.allocate(MASK_BYTES);
            pinned.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            call("sched_setaffinity", pinned);
            try {
                action.run();
            } finally {
                call("sched_setaffinity", original);
            }
        }
    }

    /** sched_getaffinity(2) or sched_setaffinity(2) for the calling thread (pid 0). */
    private static void call(String function, MemorySegment mask) {
        Linker linker = Linker.nativeLinker();
        MethodHandle handle = linker.downcallHandle(linker.defaultLookup().find(function).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        int result;
        try {
            result = (int) handle.invokeExact(0, (long) MASK_BYTES, mask);
        } catch (Throwable e) {
            throw new IllegalStateException(function + " failed", e);
        }
        // sched_getaffinity returns the mask size it wrote, sched_setaffinity 0.
        if (result < 0) {
            throw new IllegalStateException(function + " failed");
        }
    }
}
