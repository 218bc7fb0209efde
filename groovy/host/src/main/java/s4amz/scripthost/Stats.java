package s4amz.scripthost;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/** Heap figures for benchmarks: used, committed, max and the peak since the last reset. */
final class Stats {
    private Stats() {
    }

    static Map<String, Object> snapshot(boolean gc, boolean resetPeak) {
        if (gc) {
            System.gc();
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage usage = pool.getPeakUsage();
                if (usage != null) {
                    peak += usage.getUsed();
                }
                if (resetPeak) {
                    pool.resetPeakUsage();
                }
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long collections = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, bean.getCollectionCount());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heapUsed", heap.getUsed());
        out.put("heapCommitted", heap.getCommitted());
        out.put("heapMax", heap.getMax());
        out.put("heapPeak", peak);
        out.put("gcCount", collections);
        return out;
    }

    /** Bytes allocated so far by the current thread, or -1 where the JVM does not tell. */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) bean).getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}
