package dev.nano;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * What a large transfer leaves on the heap of the test JVM (NANO runs in it): the live heap after
 * a full GC, and what collections during the transfer let survive (garbage a large young
 * generation holds is not counted).
 */
public final class HeapWatch {

    /** Bytes read and the largest heap the collections left while reading. */
    public record Transfer(long bytes, long peakSurvived) {
    }

    private HeapWatch() {
    }

    public static long liveAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The heap's pools as their last collections left them (what survived, not garbage). */
    public static long afterLastCollections() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (collected != null) {
                used += collected.getUsed();
            }
        }
        return used;
    }

    /** Reads {@code in} to its end, sampling {@link #afterLastCollections} every {@code sampleBytes}. */
    public static Transfer drain(InputStream in, long sampleBytes) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        long sinceSample = 0;
        long peak = 0;
        try (in) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                sinceSample += read;
                if (sinceSample > sampleBytes) {
                    sinceSample = 0;
                    peak = Math.max(peak, afterLastCollections());
                }
            }
        }
        return new Transfer(total, peak);
    }
}
