import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// Wakes a reader when the journal file changes: inotify as the hint (Dispatch has no file-system
/// source on Linux), with a poll timeout as the fallback for a lost wake-up. The reader then reads
/// from its own offset with `readNew()`.
public final class FileFollower: JournalFollower, @unchecked Sendable {
    private let inotifyFD: Int32
    public let pollFallbackMillis: Int32

    public init(path: String, pollFallbackMillis: Int32 = 500) {
        self.pollFallbackMillis = pollFallbackMillis
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 {
            let mask = UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF)
            if inotify_add_watch(fd, path, mask) < 0 {
                // Watch the directory instead: the file may not exist yet.
                _ = inotify_add_watch(fd, FilePath.folder(of: path), UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO))
            }
        }
        inotifyFD = fd
    }

    /// Wakes when a file arrives in any of `folders` (created, moved in, written): a Maildir's new/ and cur/.
    public init(folders: [String], pollFallbackMillis: Int32) {
        self.pollFallbackMillis = pollFallbackMillis
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 { for f in folders { _ = inotify_add_watch(fd, f, UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE)) } }
        inotifyFD = fd
    }

    deinit { if inotifyFD >= 0 { close(inotifyFD) } }

    /// The descriptor to include in a caller's own poll() set (the console's input loop).
    public var fileDescriptor: Int32 { inotifyFD }

    /// Waits until the file changes or `timeoutMillis` passes (default: the poll fallback).
    /// Returns true when woken by a change.
    @discardableResult
    public func wait(timeoutMillis: Int32? = nil) -> Bool {
        let timeout = timeoutMillis ?? pollFallbackMillis
        guard inotifyFD >= 0 else {
            usleep(UInt32(timeout) * 1000)
            return false
        }
        var p = pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, timeout)
        drain()
        return r > 0
    }

    /// Empties the inotify queue; events are only hints.
    public func drain() {
        guard inotifyFD >= 0 else { return }
        var buf = [UInt8](repeating: 0, count: 4096)
        while buf.withUnsafeMutableBytes({ read(inotifyFD, $0.baseAddress!, $0.count) }) > 0 {}
    }
}
