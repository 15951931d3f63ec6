package dev.nano.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Hands each new connection on the apps' port to the event loop whose index is the CPU that
 * processed its first packet (modulo the loop count), by attaching a classic BPF program to the
 * port's {@code SO_REUSEPORT} group (socket(7), {@code SO_ATTACH_REUSEPORT_CBPF}).
 *
 * <p>Why: a client thread whose connections are spread over all loops waits on every loop, and
 * whenever one of them is off the CPU it stalls. Steered, the connections a client thread opens
 * from one CPU share one loop. With two loops and wrk's two threads on the same two cores
 * (2026-11-30, bench/README.md): 117-123k req/s with p99 1.1-2.0 ms when wrk's threads connected
 * from different CPUs, against 96-123k and 5-8 ms with connections spread evenly. With a NIC,
 * the CPU is the one its receive queue interrupts, so a connection's packets and its loop meet.
 *
 * <p>Linux only; anywhere the program cannot be attached the kernel's hash spreads connections,
 * as before.
 */
final class CpuSteering {

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    // struct sock_filter codes (linux/filter.h): BPF_LD|BPF_W|BPF_ABS, BPF_ALU|BPF_MOD|BPF_K, BPF_RET|BPF_A.
    private static final short LOAD_WORD_ABSOLUTE = 0x20;
    private static final short MODULO_CONSTANT = 0x94;
    private static final short RETURN_ACCUMULATOR = 0x16;
    /** SKF_AD_OFF + SKF_AD_CPU: the "absolute offset" that loads the current CPU's number. */
    private static final int ANCILLARY_CPU = 0xfffff000 + 36;

    private static final MemoryLayout SOCK_FILTER = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("code"), ValueLayout.JAVA_BYTE.withName("jt"),
            ValueLayout.JAVA_BYTE.withName("jf"), ValueLayout.JAVA_INT.withName("k"));
    private static final MemoryLayout SOCK_FPROG = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("len"), MemoryLayout.paddingLayout(6),
            ValueLayout.ADDRESS.withName("filter"));
    private static final VarHandle CODE = SOCK_FILTER.varHandle(MemoryLayout.PathElement.groupElement("code"));
    private static final VarHandle K = SOCK_FILTER.varHandle(MemoryLayout.PathElement.groupElement("k"));
    private static final VarHandle LENGTH = SOCK_FPROG.varHandle(MemoryLayout.PathElement.groupElement("len"));
    private static final VarHandle FILTER = SOCK_FPROG.varHandle(MemoryLayout.PathElement.groupElement("filter"));

    private CpuSteering() {
    }

    /**
     * Attaches the program to the group of the process's listening sockets on {@code port};
     * returns why it could not, or empty when it did.
     */
    static Optional<String> attach(int port, int loops) {
        try {
            Optional<Integer> fd = listeningSocket(port);
            if (fd.isEmpty()) {
                return Optional.of("no listening socket of this process on port " + port);
            }
            return setSteeringProgram(fd.get(), loops);
        } catch (Throwable e) {
            // No /proc, no native access (--enable-native-access), an image without FFM support...
            return Optional.of(e.toString());
        }
    }

    private static Optional<String> setSteeringProgram(int fd, int loops) throws Throwable {
        Linker linker = Linker.nativeLinker();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MethodHandle setsockopt = linker.downcallHandle(linker.defaultLookup().find("setsockopt").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
        MemoryLayout callState = Linker.Option.captureStateLayout();
        try (Arena arena = Arena.ofConfined()) {
            // A = current CPU; A = A % loops; return A (the index of the socket, in listen order).
            MemorySegment program = arena.allocate(SOCK_FILTER, 3);
            instruction(program, 0, LOAD_WORD_ABSOLUTE, ANCILLARY_CPU);
            instruction(program, 1, MODULO_CONSTANT, loops);
            instruction(program, 2, RETURN_ACCUMULATOR, 0);
            MemorySegment fprog = arena.allocate(SOCK_FPROG);
            LENGTH.set(fprog, 0L, (short) 3);
            FILTER.set(fprog, 0L, program);
            MemorySegment state = arena.allocate(callState);
            int result = (int) setsockopt.invokeExact(state, fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, fprog,
                    (int) SOCK_FPROG.byteSize());
            if (result == 0) {
                return Optional.empty();
            }
            int error = state.get(ValueLayout.JAVA_INT, callState.byteOffset(MemoryLayout.PathElement.groupElement("errno")));
            return Optional.of("setsockopt(SO_ATTACH_REUSEPORT_CBPF) failed with errno " + error);
        }
    }

    private static void instruction(MemorySegment program, long index, short code, int k) {
        MemorySegment slot = program.asSlice(index * SOCK_FILTER.byteSize(), SOCK_FILTER.byteSize());
        CODE.set(slot, 0L, code);
        K.set(slot, 0L, k);
    }

    /** A file descriptor of this process listening on {@code port}, found through /proc. */
    private static Optional<Integer> listeningSocket(int port) throws IOException {
        Set<String> inodes = ListeningSockets.on(port);
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> isSocketOf(fd, inodes))
                    .map(fd -> Integer.parseInt(fd.getFileName().toString()))
                    .findFirst();
        }
    }

    private static boolean isSocketOf(Path fd, Set<String> inodes) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
        } catch (IOException e) {
            return false;   // closed meanwhile
        }
    }
}
