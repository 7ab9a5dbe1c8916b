#if canImport(Glibc)
import Glibc
#endif

/// Runs work whose recursion follows its input (the YAML composer: one frame chain per nesting
/// level, about 3 kB each in a release build) on a thread of its own with a stack sized for it,
/// and waits. Nil when the system will not make such a thread.
enum DeepStack {
    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    static func run<T>(stackBytes: Int, _ body: () -> T) -> T? {
        var result: T?
        let started = withoutActuallyEscaping(body) { body -> Bool in
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            defer { pthread_attr_destroy(&attr) }
            guard pthread_attr_setstacksize(&attr, stackBytes) == 0 else { return false }
            let job = Unmanaged.passRetained(Job { result = body() })
            var thread = pthread_t()
            guard pthread_create(&thread, &attr, { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().work()
                return nil
            }, job.toOpaque()) == 0 else {
                job.release()
                return false
            }
            pthread_join(thread, nil)
            return true
        }
        return started ? result : nil
    }
}
