import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// What `qdeck log verify` finds.
public struct VerifyReport: Sendable {
    public var path: String
    public var uuid: String
    public var records: Int
    public var lastSeq: UInt64
    public var validEnd: Int64
    public var fileSize: Int64
    /// Damage in the middle: (offset, reason, next valid offset).
    public var damage: [(offset: Int64, reason: String, resumesAt: Int64)]
    /// Bytes after the last valid record that no valid record follows.
    public var tornTail: Int64

    public var isClean: Bool { damage.isEmpty && tornTail == 0 }
}

public struct RepairReport: Sendable {
    public var kept: Int
    public var movedAside: [(offset: Int64, length: Int64, file: String)]
    public var backup: String
}

/// Verify and repair walk the whole file, skipping over damage to find every valid record.
public enum JournalRepair {
    struct Walk {
        var frames: [(offset: Int, size: Int)] = []
        var damage: [(offset: Int, reason: String, resumesAt: Int)] = []
        var tornTail: Range<Int>? = nil
        var lastSeq: UInt64 = 0
    }

    static func walk(_ b: UnsafeRawBufferPointer) -> Walk {
        var w = Walk()
        var off = Layout.headerSize
        var expected: UInt64? = 1
        while off < b.count {
            switch FrameParser.frame(b, at: off, expectedSeq: expected) {
            case .success(let f):
                w.frames.append((f.offset, f.size))
                w.lastSeq = f.seq
                expected = f.seq + 1
                off += f.size
            case .failure(let p):
                guard let next = FrameParser.nextValidRecord(b, from: off + 1) else {
                    w.tornTail = off..<b.count
                    return w
                }
                w.damage.append((off, p.description, next))
                off = next
                expected = nil  // sequence resumes wherever the next valid record says
            }
        }
        return w
    }

    static func load(_ path: String) throws(JournalError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT ? .missing(path: path) : .cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        guard let size = Sys.fileSize(fd), let bytes = Sys.pread(fd, from: 0, count: Int(size)) else {
            throw .io(path: path, operation: "read", errno: errno)
        }
        guard case .success = Layout.parseHeader(bytes) else {
            throw .notAJournal(path: path, reason: "no valid QDECKJNL header")
        }
        return bytes
    }

    public static func verify(path: String) throws(JournalError) -> VerifyReport {
        let bytes = try load(path)
        let w = bytes.withUnsafeBytes { walk($0) }
        let uuid = (try? FileJournal(path: path, writable: false).uuidString) ?? ""
        let validEnd = w.frames.last.map { Int64($0.offset + $0.size) } ?? Int64(Layout.headerSize)
        return VerifyReport(path: path, uuid: uuid, records: w.frames.count, lastSeq: w.lastSeq, validEnd: validEnd,
                            fileSize: Int64(bytes.count),
                            damage: w.damage.map { (Int64($0.offset), $0.reason, Int64($0.resumesAt)) },
                            tornTail: Int64(w.tornTail?.count ?? 0))
    }

    /// Rewrites the journal with every valid record, renumbered without gaps, under a new file UUID
    /// (so snapshots of the old file are not trusted). Damaged ranges and the torn tail are written to
    /// files beside the log, and the whole original is kept as a backup. Nothing is deleted.
    public static func repair(path: String) throws(JournalError) -> RepairReport {
        let lockFD = open(path, O_RDWR | O_CLOEXEC)
        guard lockFD >= 0 else { throw errno == ENOENT ? .missing(path: path) : .cannotOpen(path: path, errno: errno) }
        defer { close(lockFD) }
        guard flock(lockFD, LOCK_EX) == 0 else { throw .io(path: path, operation: "flock", errno: errno) }
        defer { flock(lockFD, LOCK_UN) }

        let bytes = try load(path)
        let stamp = WallClock.nowMillis
        let w = bytes.withUnsafeBytes { walk($0) }
        var aside: [(Int64, Int64, String)] = []
        var ranges = w.damage.map { ($0.offset, $0.resumesAt) }
        if let t = w.tornTail { ranges.append((t.lowerBound, t.upperBound)) }
        for (start, end) in ranges {
            let file = "\(path).damaged-\(start)-\(stamp)"
            guard Sys.writeAside(Array(bytes[start..<end]), to: file, like: path) else {
                throw .io(path: path, operation: "save damaged range to \(file)", errno: errno)
            }
            aside.append((Int64(start), Int64(end - start), file))
        }

        var out = ByteWriter()
        var uuid = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in 0..<16 { uuid[i] = UInt8.random(in: 0...255, using: &rng) }
        out.bytes = Layout.header(uuid: uuid, created: Instant(ms: stamp))
        var seq: UInt64 = 0
        bytes.withUnsafeBytes { b in
            for (offset, _) in w.frames {
                guard case .success(let f) = FrameParser.frame(b, at: offset, expectedSeq: nil),
                      let e = FrameParser.event(f, in: b) else { continue }
                seq += 1
                Layout.appendRecord(seq: seq, version: e.version, event: e.event, to: &out)
            }
        }
        let backup = "\(path).before-repair-\(stamp)"
        guard link(path, backup) == 0 else { throw .io(path: path, operation: "keep backup \(backup)", errno: errno) }
        let tmp = "\(path).repair-\(stamp)"
        // The repaired journal keeps the old one's owner, group and mode (root repairing a journal
        // of nobody:nogroup once left it root's, and mail intake failed for ever).
        guard Sys.writeAside(out.bytes, to: tmp, like: path, keepMode: true) else { throw .io(path: path, operation: "write \(tmp)", errno: errno) }
        guard rename(tmp, path) == 0 else { throw .io(path: path, operation: "rename \(tmp)", errno: errno) }
        Sys.syncDirectory(of: path)
        return RepairReport(kept: Int(seq), movedAside: aside, backup: backup)
    }
}
