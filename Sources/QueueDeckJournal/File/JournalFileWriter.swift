import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// A new journal file holding history as it was (`qdeck log copy`): the source's UUID, birth and
/// demo mark in the header, and every event with its sequence number, version and actor. The
/// file must not exist; it is written under a hidden name, synced, then renamed into place, so a
/// copy cut short never looks like a journal.
public final class JournalFileWriter {
    public let path: String
    private let temporary: String
    private let fd: Int32
    private var buffer = ByteWriter()
    private var nextSeq: UInt64 = 1
    private var versions: [TicketID: UInt32] = [:]
    private var finished = false

    public init(path: String, uuid: [UInt8], created: Instant, demo: Bool) throws(JournalError) {
        self.path = path
        guard uuid.count == 16 else { throw .notAJournal(path: path, reason: "the source's UUID is not 16 bytes") }
        var st = stat()
        if lstat(path, &st) == 0 { throw .refused(path: path, reason: "already exists; a copy goes to a new file") }
        temporary = FilePath.folder(of: path) + "/.\(path.split(separator: "/").last ?? "journal").copying-\(getpid())"
        switch Sys.openRegular(temporary, flags: O_WRONLY, create: true, noFollow: true) {
        case .success(let opened) where opened.created: fd = opened.fd
        case .success(let opened):
            close(opened.fd)
            throw .refused(path: temporary, reason: "left by another copy; remove it")
        case .failure(.errno(let e)): throw .cannotOpen(path: temporary, errno: e)
        case .failure(.notRegular(let what)): throw .refused(path: temporary, reason: what)
        }
        buffer.bytes = Layout.header(uuid: uuid, created: created, flags: demo ? Layout.demoFlag : 0)
    }

    deinit {
        if !finished {
            close(fd)
            unlink(temporary)
        }
    }

    /// Adds the next event; its sequence number and version must continue the file's.
    public func add(_ e: StoredEvent) throws(JournalError) {
        guard e.seq == nextSeq else { throw .notAJournal(path: path, reason: "event \(e.seq) follows \(nextSeq - 1)") }
        let expected = (versions[e.event.ticket] ?? 0) + 1
        guard e.version == expected else {
            throw .notAJournal(path: path, reason: "event \(e.seq) is version \(e.version) of \(e.event.ticket), which is at \(expected - 1)")
        }
        versions[e.event.ticket] = e.version
        nextSeq += 1
        let before = buffer.bytes.count
        Layout.appendRecord(seq: e.seq, version: e.version, event: e.event, to: &buffer)
        if buffer.bytes.count - before > Layout.maxPayload {
            throw .eventTooLarge(path: path, bytes: buffer.bytes.count - before, limit: Layout.maxPayload)
        }
        if buffer.bytes.count >= 4 << 20 { try flush() }
    }

    private func flush() throws(JournalError) {
        var done = 0
        while done < buffer.bytes.count {
            let n = buffer.bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            throw .writeFailed(path: temporary, errno: n < 0 ? errno : EIO)
        }
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    /// Writes the rest, syncs, and puts the file in place. Returns the number of events.
    @discardableResult
    public func finish() throws(JournalError) -> UInt64 {
        try flush()
        guard fdatasync(fd) == 0 else { throw .syncFailed(path: temporary, errno: errno) }
        close(fd)
        finished = true
        // link(2), not rename: a file that appeared at the path meanwhile is not replaced.
        guard link(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw e == EEXIST ? .refused(path: path, reason: "already exists; a copy goes to a new file") : .io(path: path, operation: "link", errno: e)
        }
        unlink(temporary)
        Sys.syncDirectory(of: path)
        return nextSeq - 1
    }
}
