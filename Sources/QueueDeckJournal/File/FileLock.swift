#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` held around a body, waited for with a growing pause up to a deadline:
/// the journal's append lock and intake's lock beside it.
public enum FileLock {
    public static func withExclusive<T>(fd: Int32, path: String, timeoutSeconds: Double,
                                        _ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        let deadline = WallClock.nowMillis + Int64(timeoutSeconds * 1000)
        var pause: UInt32 = 200
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw .io(path: path, operation: "flock", errno: errno) }
            if WallClock.nowMillis > deadline { throw .lockTimeout(path: path, seconds: timeoutSeconds) }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
