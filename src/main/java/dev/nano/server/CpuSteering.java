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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gives each event loop the CPUs this process may run on in turn (loop {@code k % loops} the
 * {@code k}-th), pins the loop there, and hands a new connection on the apps' port to the loop
 * of the CPU that processed its first packet: a classic BPF program on the port's {@code
 * SO_REUSEPORT} group (socket(7), {@code SO_ATTACH_REUSEPORT_CBPF}) returns that loop's socket.
 *
 * <p>Why: a client thread whose connections are spread over all loops waits on every loop, and
 * whenever one of them is off the CPU it stalls. Steered, the connections a client thread opens
 * from one CPU share one loop, running on that CPU. With two loops and wrk's two threads on the
 * same two cores (2026-11-30, bench/README.md): 115-126k req/s with p99 0.6-2.5 ms, against
 * 96-123k and 5-8 ms with connections spread evenly. With a NIC, the CPU is the one its receive
 * queue interrupts, so a connection's packets and its loop meet on one CPU.
 *
 * <p>Linux only, through the JDK's foreign-function API; anywhere it cannot be set up the
 * kernel's hash spreads connections and the loops run anywhere.
 */
final class CpuSteering {

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    // struct sock_filter codes (linux/filter.h).
    private static final short LOAD_WORD_ABSOLUTE = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    private static final short JUMP_IF_EQUAL = 0x15;        // BPF_JMP | BPF_JEQ | BPF_K
    private static final short RETURN_CONSTANT = 0x06;      // BPF_RET | BPF_K
    /** SKF_AD_OFF + SKF_AD_CPU: the "absolute offset" that loads the current CPU's number. */
    private static final int ANCILLARY_CPU = 0xfffff000 + 36;
    private static final int CPU_MASK_BYTES = 128;          // cpu_set_t: 1024 CPUs

    private static final MemoryLayout SOCK_FILTER = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("code"), ValueLayout.JAVA_BYTE.withName("jt"),
            ValueLayout.JAVA_BYTE.withName("jf"), ValueLayout.JAVA_INT.withName("k"));
    private static final MemoryLayout SOCK_FPROG = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("len"), MemoryLayout.paddingLayout(6),
            ValueLayout.ADDRESS.withName("filter"));
    private static final VarHandle CODE = field(SOCK_FILTER, "code");
    private static final VarHandle JUMP_FALSE = field(SOCK_FILTER, "jf");
    private static final VarHandle K = field(SOCK_FILTER, "k");
    private static final VarHandle LENGTH = field(SOCK_FPROG, "len");
    private static final VarHandle FILTER = field(SOCK_FPROG, "filter");

    private final int loops;
    /** The CPUs this process may use, ascending; the k-th belongs to loop k % loops. */
    private final List<Integer> cpus;

    private CpuSteering(int loops, List<Integer> cpus) {
        this.loops = loops;
        this.cpus = cpus;
    }

    /** Steering for {@code loops} loops over the CPUs the calling thread may run on; empty with fewer CPUs than loops. */
    static Optional<CpuSteering> forLoops(int loops) throws Exception {
        List<Integer> cpus = allowedCpus();
        return cpus.size() < loops ? Optional.empty() : Optional.of(new CpuSteering(loops, cpus));
    }

    /** Attaches the program to the group of this process's listening sockets on {@code port}. */
    void attach(int port) throws Exception {
        int fd = listeningSocket(port)
                .orElseThrow(() -> new IllegalStateException("no listening socket of this process on port " + port));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = program(arena);
            MemorySegment fprog = arena.allocate(SOCK_FPROG);
            LENGTH.set(fprog, 0L, (short) (program.byteSize() / SOCK_FILTER.byteSize()));
            FILTER.set(fprog, 0L, program);
            call(arena, "setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, fprog, (int) SOCK_FPROG.byteSize());
        }
    }

    /** Pins the calling thread, loop {@code loop}'s, to the CPUs whose connections it gets. */
    void pinCurrentThread(int loop) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CPU_MASK_BYTES);
            for (int k = loop; k < cpus.size(); k += loops) {
                int cpu = cpus.get(k);
                byte bits = mask.get(ValueLayout.JAVA_BYTE, cpu / 8);
                mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (bits | 1 << (cpu % 8)));
            }
            call(arena, "sched_setaffinity", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), 0, (long) CPU_MASK_BYTES, mask);
        }
    }

    /**
     * A = the CPU; then "if A == cpu_k return loop of cpu_k" for each CPU; else return the loop
     * count, which is no socket's index, so the kernel falls back to its hash.
     */
    private MemorySegment program(Arena arena) {
        MemorySegment program = arena.allocate(SOCK_FILTER, 2L * cpus.size() + 2);
        int at = 0;
        instruction(program, at++, LOAD_WORD_ABSOLUTE, 0, ANCILLARY_CPU);
        for (int k = 0; k < cpus.size(); k++) {
            instruction(program, at++, JUMP_IF_EQUAL, 1, cpus.get(k));   // not equal: skip the return
            instruction(program, at++, RETURN_CONSTANT, 0, k % loops);
        }
        instruction(program, at, RETURN_CONSTANT, 0, loops);
        return program;
    }

    private static void instruction(MemorySegment program, long index, short code, int jumpIfFalse, int k) {
        MemorySegment slot = program.asSlice(index * SOCK_FILTER.byteSize(), SOCK_FILTER.byteSize());
        CODE.set(slot, 0L, code);
        JUMP_FALSE.set(slot, 0L, (byte) jumpIfFalse);
        K.set(slot, 0L, k);
    }

    private static List<Integer> allowedCpus() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CPU_MASK_BYTES);
            call(arena, "sched_getaffinity", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), 0, (long) CPU_MASK_BYTES, mask);
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < CPU_MASK_BYTES * 8; cpu++) {
                if ((mask.get(ValueLayout.JAVA_BYTE, cpu / 8) & 1 << (cpu % 8)) != 0) {
                    cpus.add(cpu);
                }
            }
            return cpus;
        }
    }

    /** Calls a libc function that returns -1 and sets errno on failure; throws with the errno. */
    private static void call(Arena arena, String function, FunctionDescriptor signature, Object... arguments)
            throws Exception {
        Linker linker = Linker.nativeLinker();
        MemoryLayout callState = Linker.Option.captureStateLayout();
        MethodHandle handle = linker.downcallHandle(linker.defaultLookup().find(function).orElseThrow(), signature,
                Linker.Option.captureCallState("errno"));
        MemorySegment state = arena.allocate(callState);
        Object[] withState = new Object[arguments.length + 1];
        withState[0] = state;
        System.arraycopy(arguments, 0, withState, 1, arguments.length);
        int result;
        try {
            result = (int) handle.invokeWithArguments(withState);
        } catch (Exception e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(function + " failed", e);
        }
        if (result < 0) {
            int errno = state.get(ValueLayout.JAVA_INT, callState.byteOffset(MemoryLayout.PathElement.groupElement("errno")));
            throw new IllegalStateException(function + " failed with errno " + errno);
        }
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

    private static VarHandle field(MemoryLayout struct, String name) {
        return struct.varHandle(MemoryLayout.PathElement.groupElement(name));
    }
}
