import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// The embedded journal: one append-only file shared by every console on the host.
///
/// Append: exclusive `flock`; catch up from our last known end; cut a torn tail (kept beside the
/// log) or refuse on damage in the middle; check expected ticket versions; one `write()` for the
/// whole batch; `fdatasync`; unlock; only then acknowledge.
/// Read: from our own offset to the end, whole valid records only; a reader never truncates.
public final class FileJournal: DeskJournal, @unchecked Sendable {
    public let path: String
    public let writable: Bool
    public private(set) var uuid: [UInt8] = []
    /// The header says this is a demo desk: its customers are invented, nothing is ever mailed.
    public private(set) var isDemo = false
    /// When the journal was created (its header).
    public private(set) var created: Instant?
    /// Header flags for a journal this open creates.
    private let createFlags: UInt8
    private let fd: Int32
    private var inode: UInt64 = 0
    /// End of the last valid record we have read.
    public private(set) var endOffset: Int64 = 0
    public private(set) var lastSeq: UInt64 = 0
    /// Start of the last valid record: with `endOffset` and `lastSeq`, where a snapshot is bound.
    public private(set) var lastRecordOffset: Int64 = 0
    /// The latest version of each ticket, and who made it: for the expected-version check.
    private var marks: [TicketID: Mark] = [:]
    /// Versions as of the snapshot this journal was resumed from (its marks start after it).
    private var resumedMarks: ((TicketID) -> Mark?)?
    /// Events read (by catch-up or our own appends) but not yet handed out by `readNew`.
    private var pending: [StoredEvent] = []
    private var broken: JournalError?
    public var lockTimeoutSeconds: Double = 10
    /// The intake lock beside the journal, opened at the first intake (FileJournal+Desk.swift).
    var intakeLockFD: Int32 = -1
    /// The attachment store beside it: one per open, so deferred syncs are remembered.
    lazy var blobStore = FileBlobStore(journal: path)

    /// Opens (and with `create`, creates) a journal. Read-only opens never write to the file.
    public init(path: String, create: Bool = false, writable: Bool = true, demo: Bool = false) throws(JournalError) {
        self.path = path
        self.createFlags = demo ? Layout.demoFlag : 0
        self.writable = writable || create
        if let kind = Sys.networkFileSystem(at: FilePath.folder(of: path)) { throw .networkFileSystem(path: path, kind: kind) }
        let fd: Int32
        switch Sys.openRegular(path, flags: self.writable ? (O_RDWR | O_APPEND) : O_RDONLY, create: create) {
        case .success(let opened): fd = opened.fd
        case .failure(.errno(let e)):
            if e == ENOENT { throw .missing(path: path) }
            throw .cannotOpen(path: path, errno: e)
        case .failure(.notRegular(let what)):
            throw .notAJournal(path: path, reason: "\(what), not a regular file; a journal is a file qdeck creates")
        }
        self.fd = fd
        // A file-size limit (ulimit -f) must fail the write with EFBIG, which is refused cleanly
        // and truncated back, not kill the process in the middle of an append.
        if self.writable { signal(SIGXFSZ, SIG_IGN) }
        var st = stat()
        fstat(fd, &st)
        inode = UInt64(st.st_ino)
        do {
            try readHeader(initialise: self.writable)
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        close(fd)
        if intakeLockFD >= 0 { close(intakeLockFD) }
    }

    private func readHeader(initialise: Bool) throws(JournalError) {
        let size = Sys.fileSize(fd) ?? 0
        if size < Int64(Layout.headerSize) {
            guard initialise else {
                if size == 0 { return }  // being created right now; read as empty
                throw .notAJournal(path: path, reason: "only \(size) bytes, shorter than a header")
            }
            try withLock { () throws(JournalError) in
                let now = Sys.fileSize(fd) ?? 0
                if now >= Int64(Layout.headerSize) { return }
                if now > 0 {
                    // A creator died mid-header: keep its bytes beside the log, start over.
                    let bytes = Sys.pread(fd, from: 0, count: Int(now)) ?? []
                    _ = Sys.writeAside(bytes, to: "\(path).torn-header-\(Int(WallClock.nowMillis))")
                    guard ftruncate(fd, 0) == 0 else { throw .io(path: path, operation: "ftruncate", errno: errno) }
                }
                let header = Layout.header(uuid: Fresh.fileUUID(), created: Instant(ms: WallClock.nowMillis), flags: createFlags)
                try writeAll(header, restoreTo: 0)
                guard fdatasync(fd) == 0 else { throw .syncFailed(path: path, errno: errno) }
                Sys.syncDirectory(of: path)
            }
        }
        guard let bytes = Sys.pread(fd, from: 0, count: Layout.headerSize) else {
            throw .io(path: path, operation: "read header", errno: errno)
        }
        switch Layout.parseHeader(bytes) {
        case .success(let h):
            uuid = h.uuid
            isDemo = h.flags & Layout.demoFlag != 0
            created = h.created
            if endOffset == 0 { endOffset = Int64(Layout.headerSize) }
        case .failure(let problem):
            if case .unsupportedVersion = problem { throw .notAJournal(path: path, reason: problem.description) }
            // Records intact behind a damaged header: a journal to repair, not a stranger's file.
            if Layout.recordFollowsHeader(read: { Sys.pread(fd, from: $0, count: $1) }) {
                throw .damagedHeader(path: path, reason: problem.description)
            }
            throw .notAJournal(path: path, reason: problem.description)
        }
    }

    /// Where the events handed out so far end; nil while some appended ones are not yet handed out.
    public var position: JournalPosition? {
        guard pending.isEmpty, lastSeq > 0,
              let record = Sys.pread(fd, from: lastRecordOffset, count: Int(endOffset - lastRecordOffset)),
              record.count == Int(endOffset - lastRecordOffset) else { return nil }
        return JournalPosition(uuid: uuid, seq: lastSeq, offset: endOffset, lastRecordOffset: lastRecordOffset,
                               recordCRC: Self.fingerprint(record))
    }

    /// A record's content as one number: the CRC-32C of its bytes before its own trailing checksum
    /// (over the whole record, checksum included, every valid record gives the same residue).
    static func fingerprint(_ record: [UInt8]) -> UInt32 {
        record.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<max(0, $0.count - 4)])) }
    }

    /// Whether `p` is a place in this file: same UUID, and a whole valid record with p's sequence
    /// number ending exactly at p's offset. Cheap: one record is read.
    public func holds(_ p: JournalPosition) -> Bool {
        if uuid.isEmpty { try? readHeader(initialise: false) }
        guard p.uuid == uuid, p.seq > 0, p.lastRecordOffset >= Int64(Layout.headerSize), p.offset > p.lastRecordOffset,
              p.offset - p.lastRecordOffset <= Int64(Layout.recordSize(payload: Layout.maxPayload)),
              let size = Sys.fileSize(fd), size >= p.offset,
              let bytes = Sys.pread(fd, from: p.lastRecordOffset, count: Int(p.offset - p.lastRecordOffset)) else { return false }
        // The record's content too: a journal restored from a backup, then written to again, can
        // have a record with the same number ending at the same byte but other events.
        guard Self.fingerprint(bytes) == p.recordCRC else { return false }
        return bytes.withUnsafeBytes { b -> Bool in
            guard case .success(let f) = FrameParser.frame(b, at: 0, expectedSeq: p.seq) else { return false }
            return f.size == b.count
        }
    }

    /// Starts reading after `p` (which `holds`) instead of from the beginning: a snapshot covers
    /// everything before it. `versions` gives each ticket's version as of `p` (only a writer asks).
    /// False leaves the journal as it was, to be read from the start.
    public func resume(at p: JournalPosition, versions: @escaping (TicketID) -> Mark?) -> Bool {
        guard lastSeq == 0, pending.isEmpty, holds(p) else { return false }
        endOffset = p.offset
        lastSeq = p.seq
        lastRecordOffset = p.lastRecordOffset
        if writable { resumedMarks = versions }
        return true
    }

    public var uuidString: String {
        let hex = uuid.map { String($0, radix: 16).leftPadded(2) }.joined()
        let p = Array(hex)
        guard p.count == 32 else { return "" }
        return [p[0..<8], p[8..<12], p[12..<16], p[16..<20], p[20..<32]].map { String($0) }.joined(separator: "-")
    }

    // MARK: Reading

    /// Events appended since the last call (by anyone), in sequence order. Stops before a record that
    /// is still being written or torn; throws if the damage has valid records after it.
    public func readNew() throws(JournalError) -> [StoredEvent] {
        var out: [StoredEvent] = []
        try readNew { out.append($0) }
        return out
    }

    /// The same, handing each event over as it is decoded: a replay of a million events folds them
    /// without holding them all at once.
    public func readNew(_ each: (StoredEvent) -> Void) throws(JournalError) {
        if uuid.isEmpty { try readHeader(initialise: false) }
        if uuid.isEmpty { return }
        // A repaired journal is a new file at the same path; following the old one would be stale.
        try checkNotReplaced()
        for e in pending { each(e) }
        pending = []
        try scanToEnd(repairTail: false, each)
    }

    /// Reads from `endOffset` to end of file in chunks (memory stays small however long the file).
    /// Only a writer holding the lock may cut a torn tail.
    private func scanToEnd(repairTail: Bool, _ each: (StoredEvent) -> Void) throws(JournalError) {
        guard let size = Sys.fileSize(fd) else { throw .io(path: path, operation: "fstat", errno: errno) }
        if size < endOffset { throw .replaced(path: path) }
        var want = Self.chunkSize
        while size > endOffset {
            let count = Int(min(size - endOffset, Int64(max(want, Self.chunkSize))))
            guard let bytes = Sys.pread(fd, from: endOffset, count: count) else {
                throw .io(path: path, operation: "read", errno: errno)
            }
            let base = endOffset
            let atEnd = base + Int64(bytes.count) >= size
            var problem: (Int, FrameProblem)? = nil
            var consumed = 0
            bytes.withUnsafeBytes { b in
                var off = 0
                while off < b.count {
                    switch FrameParser.frame(b, at: off, expectedSeq: lastSeq + 1) {
                    case .failure(let p):
                        problem = (off, p)
                        consumed = off
                        return
                    case .success(let f):
                        if let e = FrameParser.event(f, in: b) {
                            note(e)
                            each(e)
                        }
                        lastSeq = f.seq
                        lastRecordOffset = base + Int64(off)
                        off += f.size
                    }
                }
                consumed = off
            }
            endOffset = base + Int64(consumed)
            guard let (at, why) = problem else { continue }
            // A record cut by the chunk, not by the file: read on from its start.
            if case .incomplete(let need) = why, !atEnd {
                want = need
                continue
            }
            // Damage or a torn tail: decide on everything after it, not just this chunk.
            let rest = bytes.count == Int(size - base) ? bytes : (Sys.pread(fd, from: base, count: Int(size - base)) ?? bytes)
            let next = rest.withUnsafeBytes { FrameParser.nextValidRecord($0, from: at + 1) }
            if let next {
                throw .damaged(path: path, offset: base + Int64(at), afterSeq: lastSeq, reason: why.description,
                               nextValidOffset: base + Int64(next))
            }
            // A torn tail: a writer died mid-record (or, for a reader, one is writing right now).
            guard repairTail else { return }
            let cut = Array(rest[at...])
            let aside = "\(path).torn-\(base + Int64(at))-\(WallClock.nowMillis)"
            guard Sys.writeAside(cut, to: aside) else { throw .io(path: path, operation: "save torn tail to \(aside)", errno: errno) }
            guard ftruncate(fd, off_t(endOffset)) == 0 else { throw .io(path: path, operation: "ftruncate", errno: errno) }
            guard fdatasync(fd) == 0 else { throw fail(.syncFailed(path: path, errno: errno)) }
            return
        }
    }

    /// Bytes read per step of a scan: large enough that the system calls do not show.
    static let chunkSize = 4 << 20

    private func note(_ e: StoredEvent) {
        // Only a writer checks versions: a read-only replay skips a dictionary update per event.
        guard writable else { return }
        marks[e.event.ticket] = Mark(version: e.version, actor: e.event.actor, at: e.event.at)
    }

    /// The ticket's version as this journal last saw it (kept by writable journals only).
    public func version(of ticket: TicketID) -> UInt32 { mark(ticket)?.version ?? 0 }

    private func mark(_ ticket: TicketID) -> Mark? { marks[ticket] ?? resumedMarks?(ticket) }

    // MARK: Appending

    /// Appends a batch atomically (one write, one fdatasync) if every expected version still holds.
    /// Returns the stored events once they are durable.
    @discardableResult
    public func append(_ events: [Event], expecting: [TicketID: UInt32]) throws(JournalError) -> [StoredEvent] {
        if let broken { throw broken }
        guard writable else { throw .cannotOpen(path: path, errno: EBADF) }
        guard !events.isEmpty else { return [] }
        return try withLock { () throws(JournalError) -> [StoredEvent] in
            try checkNotReplaced()
            try scanToEnd(repairTail: true) { pending.append($0) }
            for (ticket, expected) in expecting {
                let current = mark(ticket)
                if (current?.version ?? 0) != expected {
                    throw .stale(ticket: ticket, expected: expected, actual: current?.version ?? 0,
                                 by: current?.actor ?? "nobody", at: current?.at ?? Instant(ms: 0))
                }
            }
            var w = ByteWriter()
            var stored: [StoredEvent] = []
            var seq = lastSeq
            var versions: [TicketID: UInt32] = [:]
            var recordStart = endOffset
            for e in events {
                seq += 1
                let v = (versions[e.ticket] ?? mark(e.ticket)?.version ?? 0) + 1
                versions[e.ticket] = v
                let before = w.bytes.count
                recordStart = endOffset + Int64(before)
                Layout.appendRecord(seq: seq, version: v, event: e, to: &w)
                if w.bytes.count - before > Layout.maxPayload {
                    throw .eventTooLarge(path: path, bytes: w.bytes.count - before, limit: Layout.maxPayload)
                }
                stored.append(StoredEvent(seq: seq, version: v, event: e))
            }
            try writeAll(w.bytes, restoreTo: endOffset)
            guard fdatasync(fd) == 0 else { throw fail(.syncFailed(path: path, errno: errno)) }
            endOffset += Int64(w.bytes.count)
            lastSeq = seq
            lastRecordOffset = recordStart
            for e in stored { note(e) }
            pending.append(contentsOf: stored)
            return stored
        }
    }

    /// One write() for the whole batch (a short write is continued, to learn why: a full disk says
    /// ENOSPC); any failure is truncated back, so nothing of the batch stays.
    private func writeAll(_ bytes: [UInt8], restoreTo: Int64) throws(JournalError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            let e = errno
            _ = ftruncate(fd, off_t(restoreTo))
            if n < 0 { throw .writeFailed(path: path, errno: e) }
            throw .shortWrite(path: path, wrote: done, of: bytes.count)
        }
    }

    private func fail(_ e: JournalError) -> JournalError {
        broken = e
        return e
    }

    private func checkNotReplaced() throws(JournalError) {
        var st = stat()
        if stat(path, &st) != 0 || UInt64(st.st_ino) != inode { throw .replaced(path: path) }
    }

    private func withLock<T>(_ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        try FileLock.withExclusive(fd: fd, path: path, timeoutSeconds: lockTimeoutSeconds, body)
    }
}

/// A ticket's latest version in the journal, and who made it when (named in a stale refusal).
public struct Mark: Sendable, Equatable {
    public var version: UInt32
    public var actor: String
    public var at: Instant
    public init(version: UInt32, actor: String, at: Instant) {
        self.version = version
        self.actor = actor
        self.at = at
    }
}

/// A place in one journal file: the end of the record with sequence `seq`. A snapshot is bound to it.
public struct JournalPosition: Sendable, Equatable {
    public var uuid: [UInt8]
    public var seq: UInt64
    public var offset: Int64
    public var lastRecordOffset: Int64
    /// CRC-32C of record `seq`'s bytes: the position is bound to what was written there, not only
    /// to where.
    public var recordCRC: UInt32
    public init(uuid: [UInt8], seq: UInt64, offset: Int64, lastRecordOffset: Int64, recordCRC: UInt32) {
        self.uuid = uuid
        self.seq = seq
        self.offset = offset
        self.lastRecordOffset = lastRecordOffset
        self.recordCRC = recordCRC
    }
}

public enum WallClock {
    public static var nowMillis: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
