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

    /// A journal's bytes, and what is wrong with its header if anything (records may still follow).
    struct Loaded {
        var bytes: [UInt8]
        var headerProblem: String?
        var created: Instant?
        /// nil: the damaged header's demo mark cannot be read; the admin says which it is.
        var flags: UInt8? = 0
        /// A damaged header's UUID, kept when only the header needs rebuilding.
        var uuid: [UInt8]? = nil
    }

    static func load(_ path: String) throws(JournalError) -> Loaded {
        let fd: Int32
        switch Sys.openRegular(path, flags: O_RDONLY) {
        case .success(let opened): fd = opened.fd
        case .failure(.errno(let e)): throw e == ENOENT ? .missing(path: path) : .cannotOpen(path: path, errno: e)
        case .failure(.notRegular(let what)): throw .notAJournal(path: path, reason: "\(what), not a regular file")
        }
        defer { close(fd) }
        guard let size = Sys.fileSize(fd), let bytes = Sys.pread(fd, from: 0, count: Int(size)) else {
            throw .io(path: path, operation: "read", errno: errno)
        }
        switch Layout.parseHeader(bytes) {
        case .success(let h): return Loaded(bytes: bytes, headerProblem: nil, created: h.created, flags: h.flags)
        case .failure(let problem):
            if case .unsupportedVersion = problem { throw .notAJournal(path: path, reason: problem.description) }
            let follows = Layout.recordFollowsHeader { offset, count in
                Int(offset) + count <= bytes.count ? Array(bytes[Int(offset)..<(Int(offset) + count)]) : nil
            }
            guard follows else { throw .notAJournal(path: path, reason: problem.description) }
            let kept = Layout.fieldsAsWritten(bytes)
            return Loaded(bytes: bytes, headerProblem: problem.description, created: kept?.created, flags: kept?.flags, uuid: kept?.uuid)
        }
    }

    public static func verify(path: String) throws(JournalError) -> VerifyReport {
        let loaded = try load(path)
        return report(path, loaded, loaded.bytes.withUnsafeBytes { walk($0) })
    }

    static func report(_ path: String, _ loaded: Loaded, _ w: Walk) -> VerifyReport {
        let bytes = loaded.bytes
        let uuid = (try? FileJournal(path: path, writable: false).uuidString) ?? ""
        let validEnd = w.frames.last.map { Int64($0.offset + $0.size) } ?? Int64(Layout.headerSize)
        var damage = w.damage.map { (offset: Int64($0.offset), reason: $0.reason, resumesAt: Int64($0.resumesAt)) }
        if let problem = loaded.headerProblem {
            damage.insert((0, "file header damaged (\(problem))", Int64(Layout.headerSize)), at: 0)
        }
        return VerifyReport(path: path, uuid: uuid, records: w.frames.count, lastSeq: w.lastSeq, validEnd: validEnd,
                            fileSize: Int64(bytes.count), damage: damage, tornTail: Int64(w.tornTail?.count ?? 0))
    }

    /// Every whole, checksummed record in file order, whatever the header says and past damage in
    /// the middle (for `log dump`); the report says what was passed over.
    public static func salvage(path: String, from: Int64 = 0, _ each: (StoredEvent) -> Void) throws(JournalError) -> VerifyReport {
        let loaded = try load(path)  // read once: the report and the records come from the same bytes
        return loaded.bytes.withUnsafeBytes { b in
            let w = walk(b)
            for (offset, _) in w.frames where offset >= from {
                guard case .success(let f) = FrameParser.frame(b, at: offset, expectedSeq: nil),
                      let e = FrameParser.event(f, in: b) else { continue }
                each(e)
            }
            return report(path, loaded, w)
        }
    }

    /// Rewrites the journal with every valid record, renumbered without gaps, under a new file UUID
    /// (so snapshots of the old file are not trusted). Damaged ranges and the torn tail are written to
    /// files beside the log, and the whole original is kept as a backup. Nothing is deleted.
    /// `demo`: what the desk is when a damaged header's demo mark cannot be read (nil: refuse and ask).
    public static func repair(path: String, demo: Bool? = nil) throws(JournalError) -> RepairReport {
        let lockFD = open(path, O_RDWR | O_CLOEXEC)
        guard lockFD >= 0 else { throw errno == ENOENT ? .missing(path: path) : .cannotOpen(path: path, errno: errno) }
        defer { close(lockFD) }
        guard flock(lockFD, LOCK_EX) == 0 else { throw .io(path: path, operation: "flock", errno: errno) }
        defer { flock(lockFD, LOCK_UN) }

        let loaded = try load(path)
        let bytes = loaded.bytes
        let flags: UInt8
        if let demo { flags = demo ? Layout.demoFlag : 0 } else if let known = loaded.flags { flags = known } else {
            throw .refused(path: path, reason: "the damaged header's demo mark cannot be read: say which this desk is, `qdeck log repair --demo` (a demo: it never mails anyone) or `--real`")
        }
        let stamp = WallClock.nowMillis
        let w = bytes.withUnsafeBytes { walk($0) }
        var aside: [(Int64, Int64, String)] = []
        var ranges = w.damage.map { ($0.offset, $0.resumesAt) }
        // A damaged header is kept beside the log like any damaged range, then written anew.
        if loaded.headerProblem != nil { ranges.insert((0, Layout.headerSize), at: 0) }
        if let t = w.tornTail { ranges.append((t.lowerBound, t.upperBound)) }
        for (start, end) in ranges {
            let file = "\(path).damaged-\(start)-\(stamp)"
            guard Sys.writeAside(Array(bytes[start..<end]), to: file, like: path) else {
                throw .io(path: path, operation: "save damaged range to \(file)", errno: errno)
            }
            aside.append((Int64(start), Int64(end - start), file))
        }

        var out = ByteWriter()
        // Records renumbered or dropped make a new file (snapshots of the old one must not be
        // trusted); a header rebuilt over untouched records keeps the desk's identity and marks
        // (a demo stays a demo, its snapshots stay good).
        let onlyTheHeader = w.damage.isEmpty && w.tornTail == nil
        let uuid = onlyTheHeader ? (loaded.uuid ?? Fresh.fileUUID()) : Fresh.fileUUID()
        // The desk keeps its age (intake judges times against it): the old header's, else its first event's.
        let firstEvent = bytes.withUnsafeBytes { b -> Instant? in
            guard let first = w.frames.first, case .success(let f) = FrameParser.frame(b, at: first.offset, expectedSeq: nil) else { return nil }
            return Instant(ms: f.timestamp)
        }
        out.bytes = Layout.header(uuid: uuid, created: loaded.created ?? min(firstEvent ?? Instant(ms: stamp), Instant(ms: stamp)), flags: flags)
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
