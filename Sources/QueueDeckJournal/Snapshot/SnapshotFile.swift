#if canImport(Glibc)
import Glibc
#endif
import QueueDeckDomain

/// Snapshot files beside a journal: `JOURNAL.snapshot-SEQ`, the folded desk as of sequence SEQ.
///
/// Header, 128 bytes: "QDECKSNP", u16 format version, u16 header size, u32 zero, 16-byte journal
/// UUID, u64 sequence, i64 journal offset (end of that record), i64 offset of that record, i64 the
/// auto-close period the fold used, i64 written at (ms), u64 body length, u32 CRC-32C of the body,
/// u8 build-ID length, 32 bytes build ID, zero padding, u32 CRC-32C of bytes 0..<124.
/// Body: `SnapshotCodec`.
///
/// Written to a temporary file, synced, renamed, directory synced: a crash leaves the old
/// snapshots and at most a temporary file, never a half snapshot under the real name.
public enum SnapshotFile {
    static let magic: [UInt8] = Array("QDECKSNP".utf8)
    /// 2: the header binds the record's CRC (a restored journal's same-length record was trusted).
    static let formatVersion: UInt16 = 6
    public static let headerSize = 128
    /// Snapshots kept: the newest, and one before it in case the newest is found damaged.
    static let kept = 2

    public struct Header: Sendable, Equatable {
        public var position: JournalPosition
        public var autoCloseAfter: Millis
        public var writtenAt: Instant
        var bodyLength: UInt64
        var bodyCRC: UInt32
        var build: [UInt8]
    }

    /// One snapshot file and what became of it.
    public struct Found: Sendable {
        public var path: String
        public var seq: UInt64
    }

    public static func path(journal: String, seq: UInt64) -> String { "\(journal).snapshot-\(seq)" }

    /// The journal's snapshots, newest first.
    public static func list(journal: String) -> [Found] {
        let dir = FilePath.folder(of: journal)
        let prefix = FilePath.name(of: journal) + ".snapshot-"
        return directoryEntries(dir).compactMap { name -> Found? in
            guard name.hasPrefix(prefix), let seq = UInt64(name.dropFirst(prefix.count)) else { return nil }
            return Found(path: dir + "/" + name, seq: seq)
        }.sorted { $0.seq > $1.seq }
    }

    // MARK: Writing

    /// Writes `state` (folded exactly up to `position`) durably, then removes all but the newest
    /// snapshots and temporary files a crashed writer left. Returns the path and size.
    @discardableResult
    public static func write(_ state: DeskState, position: JournalPosition, journal: String, now: Instant) throws(SnapshotError) -> (path: String, bytes: Int) {
        guard state.lastSeq == position.seq else {
            throw .mismatch(path: journal, reason: "the desk is folded to \(state.lastSeq), the journal position is \(position.seq)")
        }
        let body = SnapshotCodec.encode(state)
        var file = header(position: position, autoCloseAfter: state.autoCloseAfter, writtenAt: now, body: body)
        file.append(contentsOf: body)
        let final = path(journal: journal, seq: position.seq)
        var rng = SystemRandomNumberGenerator()
        let temp = "\(journal).snapshot-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max, using: &rng))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw .io(path: temp, operation: "create", errno: errno) }
        _ = fchmod(fd, 0o660)  // customer data: never world-readable, whatever the umask
        Sys.matchJournal(fd, journal: journal)  // written by root: still the journal's group's to read
        var done = 0
        while done < file.count {
            let n = file.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            let e = n < 0 ? errno : ENOSPC
            close(fd)
            unlink(temp)
            throw .io(path: temp, operation: "write", errno: e)
        }
        guard fsync(fd) == 0 else {
            let e = errno
            close(fd)
            unlink(temp)
            throw .io(path: temp, operation: "fsync", errno: e)
        }
        close(fd)
        guard rename(temp, final) == 0 else {
            let e = errno
            unlink(temp)
            throw .io(path: final, operation: "rename", errno: e)
        }
        Sys.syncDirectory(of: final)
        prune(journal: journal, uuid: position.uuid, now: now)
        return (final, file.count)
    }

    static func header(position p: JournalPosition, autoCloseAfter: Millis, writtenAt: Instant, body: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: magic)
        w.u16(formatVersion)
        w.u16(UInt16(headerSize))
        w.u32(0)
        w.bytes.append(contentsOf: p.uuid)
        w.u64(p.seq)
        w.i64(p.offset)
        w.i64(p.lastRecordOffset)
        w.i64(autoCloseAfter)
        w.i64(writtenAt.ms)
        w.u64(UInt64(body.count))
        w.u32(CRC32C.checksum(body))
        let build = BuildIdentity.current
        w.u8(UInt8(build.count))
        w.bytes.append(contentsOf: build)
        w.bytes.append(contentsOf: [UInt8](repeating: 0, count: 120 - w.bytes.count))
        w.u32(p.recordCRC)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Removes snapshots beyond the newest kept ones of this journal file and build (after a
    /// repair the file has a new UUID and lower sequence numbers: the old ones are useless), and
    /// temporary files older than an hour (a writer that died; a live writer's is seconds old).
    static func prune(journal: String, uuid: [UInt8], now: Instant) {
        var keeping = 0
        for found in list(journal: journal) {
            let ours = (try? readHeader(found.path)).map { $0.position.uuid == uuid && $0.build == BuildIdentity.current } ?? false
            if ours && keeping < kept { keeping += 1 } else { unlink(found.path) }
        }
        let dir = FilePath.folder(of: journal)
        let prefix = FilePath.name(of: journal) + ".snapshot-tmp-"
        for name in directoryEntries(dir) where name.hasPrefix(prefix) {
            var st = stat()
            let p = dir + "/" + name
            if stat(p, &st) == 0, Int64(st.st_mtim.tv_sec) * 1000 < now.ms - Millis.hours(1) { unlink(p) }
        }
    }

    // MARK: Reading

    /// A snapshot file for reading: a regular file, not a link a neighbour planted, never a FIFO
    /// that would hang start-up.
    static func openSnapshot(_ path: String) throws(SnapshotError) -> Int32 {
        switch Sys.openRegular(path, flags: O_RDONLY, noFollow: true) {
        case .success(let opened): return opened.fd
        case .failure(.errno(let e)): throw .io(path: path, operation: "open", errno: e)
        case .failure(.notRegular(let what)): throw .invalid(path: path, reason: "\(what), not a snapshot file")
        }
    }

    /// The header of the snapshot at `path`, checked: format, checksum, build.
    public static func readHeader(_ path: String) throws(SnapshotError) -> Header {
        let fd = try openSnapshot(path)
        defer { close(fd) }
        guard let b = Sys.pread(fd, from: 0, count: headerSize) else { throw .io(path: path, operation: "read", errno: errno) }
        return try parseHeader(b, path: path)
    }

    static func parseHeader(_ b: [UInt8], path: String) throws(SnapshotError) -> Header {
        guard b.count == headerSize else { throw .invalid(path: path, reason: "cut short: \(b.count) of \(headerSize) header bytes") }
        guard Array(b[0..<8]) == magic else { throw .invalid(path: path, reason: "no QDECKSNP header") }
        let parsed = b.withUnsafeBytes { raw in Result { () throws(SnapshotError) -> Header in
            var r = ByteReader(raw)
            r.pos = 124
            let stored = (try? r.u32("header crc")) ?? 0
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<124])) == stored else {
                throw .invalid(path: path, reason: "header checksum mismatch")
            }
            let version = UInt16(raw[8]) | UInt16(raw[9]) << 8
            guard version == formatVersion else { throw .mismatch(path: path, reason: "format \(version), this qdeck reads \(formatVersion)") }
            do throws(DecodeFailure) {
                let uuid = Array(raw[16..<32])
                r.pos = 32
                let seq = try r.u64("seq")
                let offset = try r.i64("offset")
                let last = try r.i64("last record")
                let autoClose = try r.i64("autoCloseAfter")
                let written = try r.i64("writtenAt")
                let length = try r.u64("body length")
                let crc = try r.u32("body crc")
                let buildLength = Int(min(try r.u8("build length"), 32))
                let build = Array(raw[85..<(85 + buildLength)])
                r.pos = 120
                let recordCRC = try r.u32("record crc")
                return Header(position: JournalPosition(uuid: uuid, seq: seq, offset: offset, lastRecordOffset: last, recordCRC: recordCRC),
                              autoCloseAfter: autoClose, writtenAt: Instant(ms: written), bodyLength: length, bodyCRC: crc, build: build)
            } catch {
                throw .invalid(path: path, reason: error.description)
            }
        } }
        return try parsed.get()
    }

    /// The desk a snapshot holds, after its header and body checksums and a full decode succeed.
    package static func readState(_ path: String, header h: Header) throws(SnapshotError) -> DeskState {
        let fd = try openSnapshot(path)
        defer { close(fd) }
        guard let size = Sys.fileSize(fd) else { throw .io(path: path, operation: "fstat", errno: errno) }
        guard UInt64(size) == UInt64(headerSize) + h.bodyLength else {
            throw .invalid(path: path, reason: "\(size) bytes where the header promises \(UInt64(headerSize) + h.bodyLength)")
        }
        // Mapped, not copied: 100 MB read into fresh memory costs more in page faults than the
        // decode. Snapshots are only ever replaced by rename, never changed in place, so the
        // mapping stays valid (the inode lives while mapped, even if pruned meanwhile).
        let length = Int(size)
        guard let map = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw .io(path: path, operation: "mmap", errno: errno)
        }
        defer { munmap(map, length) }
        _ = madvise(map, length, MADV_WILLNEED)
        let raw = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(start: map, count: length)[headerSize...])
        guard CRC32C.checksum(raw) == h.bodyCRC else { throw .invalid(path: path, reason: "body checksum mismatch") }
        let state: DeskState
        do throws(DecodeFailure) {
            state = try SnapshotCodec.decode(raw)
        } catch {
            throw .invalid(path: path, reason: "\(error.field) does not decode at body byte \(error.offset)")
        }
        guard state.lastSeq == h.position.seq, state.autoCloseAfter == h.autoCloseAfter else {
            throw .invalid(path: path, reason: "body holds sequence \(state.lastSeq), header says \(h.position.seq)")
        }
        return state
    }
}

/// Why a snapshot was not written or not used. Never fatal: the journal is the truth, and a
/// snapshot only saves replaying it.
public enum SnapshotError: Error, CustomStringConvertible, Sendable {
    /// Damaged: cut, checksum, or content that does not decode.
    case invalid(path: String, reason: String)
    /// Sound, but not for this journal, build or configuration.
    case mismatch(path: String, reason: String)
    case io(path: String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalid(let p, let r): "\(p): damaged snapshot (\(r))"
        case .mismatch(let p, let r): "\(p): snapshot not for this desk (\(r))"
        case .io(let p, let op, let e): "\(p): snapshot \(op) failed: \(errnoText(e))"
        }
    }
}
