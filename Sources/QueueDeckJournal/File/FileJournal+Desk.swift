import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// What a desk needs around the file's events: snapshots beside it, and the intake and outbox
/// locks as files beside it (0660 like the journal, never through a link: docs/JOURNAL.md).
extension FileJournal: SnapshotSite {
    public var name: String { path }

    public var snapshotBase: String { path }

    public func resume(at position: JournalPosition, state: DeskState) -> Bool {
        DeskLoader.resume(self, at: position, state: state)
    }

    public func loadDesk(autoCloseAfter: Millis, useSnapshots: Bool) throws(JournalError) -> DeskLoad {
        try DeskLoader.load(self, autoCloseAfter: autoCloseAfter, useSnapshots: useSnapshots)
    }

    public func snapshotKeeper(every: Int, coveredSeq: UInt64) -> (any SnapshotKeeping)? {
        SnapshotKeeper(journal: self, every: every, coveredSeq: coveredSeq)
    }

    public func withIntakeLock<T>(timeoutSeconds: Double, _ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        let lockPath = path + ".intake-lock"
        if intakeLockFD < 0 {
            // Shared by the MTA's user and the agents through the journal's group; never through
            // a link or a stranger's file (a planted link once got chmodded).
            intakeLockFD = try GuardedFile.open(lockPath, flags: O_RDWR, create: true, like: path)
        }
        return try FileLock.withExclusive(fd: intakeLockFD, path: lockPath, timeoutSeconds: timeoutSeconds, body)
    }

    /// A shared lock on `JOURNAL.outbox-lock`, held by every process handing replies over and
    /// inherited by its sendmail.
    public func holdOutbox() throws(JournalError) -> JournalLease {
        let fd = try GuardedFile.open(outboxLockPath, flags: O_RDWR, create: true, like: path)
        flock(fd, LOCK_SH)
        return JournalLease(inheritable: fd) { close(fd) }
    }

    /// An exclusive lock on `JOURNAL.automate-lock`, never waited for.
    public func tryHoldAutomation() throws(JournalError) -> JournalLease? {
        let fd = try GuardedFile.open(path + ".automate-lock", flags: O_RDWR, create: true, like: path)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return JournalLease(inheritable: nil) { close(fd) }
    }

    /// The outbox lock cannot be taken alone.
    public var handOverRunning: Bool {
        guard let fd = try? GuardedFile.open(outboxLockPath, flags: O_RDONLY, create: false) else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    var outboxLockPath: String { path + ".outbox-lock" }

    public func follower() -> any JournalFollower { FileFollower(path: path) }

    public var blobs: any BlobStore { blobStore }

    public var databaseIdentity: DatabaseIdentity? { nil }
}
