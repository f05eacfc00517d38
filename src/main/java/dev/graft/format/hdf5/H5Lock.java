package dev.graft.format.hdf5;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One thread at a time in the HDF5 C library. The library JavaCPP ships is built without its
 * thread-safe option ({@code H5is_library_threadsafe} answers false), and two threads inside it at
 * once corrupt its global state: {@code graft run -j N} runs steps on several threads of one JVM.
 * A thread holds the lock from opening a file to closing it (re-entrant: a merge reads donors while
 * writing its output); code that reaches HDF5 through a library (DL4J's {@code Hdf5Archive}, which
 * graft itself no longer uses; tests compare against it) runs inside {@link #run} and closes every
 * HDF5 object it opened before leaving: an object left to the garbage collector is closed by
 * JavaCPP's deallocator thread, outside this lock, while another thread may be writing (DL4J's
 * {@code KerasModelBuilder} leaves its file open when an import fails; that crashed libhdf5).
 */
public final class H5Lock {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private H5Lock() {
    }

    static void acquire() {
        LOCK.lock();
    }

    static void release() {
        LOCK.unlock();
    }

    public static <T> T run(Supplier<T> work) {
        LOCK.lock();
        try {
            return work.get();
        } finally {
            LOCK.unlock();
        }
    }
}
