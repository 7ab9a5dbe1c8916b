#if canImport(Glibc)
import Glibc
#endif
import QueueDeckDomain
import QueueDeckJournal

/// Reads whole lines appended to a log file, following it across rotation (renamed and a new one
/// created, copied and truncated), and remembers where it stopped in a small state file so that a
/// restart resumes there. Bytes after the last newline wait for the rest of their line.
///
/// A file is known by its inode and by the fingerprint of its first bytes: a rotation while nobody
/// followed is found by the fingerprint among the files beside it (`queue_log.1`, a dated name, a
/// copy), and the files rotated after it are read before the new one, oldest first. An inode the file
/// system gave to a new file is not taken for the old one.
public final class LogTail {
    public let path: String
    public let statePath: String
    /// The journal whose owner and group the state file takes when root writes it.
    public var journalPath: String?
    /// After a rotation seen while following, how long lines written to the old file still count:
    /// logrotate's `create` renames it, and Asterisk writes on to it until its logger reopens.
    public var retireAfterSeconds: Double = 10
    /// Set when lines may have been missed: the file read before was rotated away while qdeck was
    /// stopped and cannot be found beside the new one (compressed, deleted). For the admin.
    public private(set) var gap: String?

    /// The file being read: its descriptor, identity and position.
    struct Source {
        var fd: Int32
        var name: String
        var inode: UInt64
        /// The byte after the last whole line handed out (and, after `commit`, saved).
        var offset: Int64 = 0
        var lineNumber = 0
        var partial: [UInt8] = []
    }
    var current: Source?
    /// Files to read before the live one, oldest first (rotated while qdeck was stopped).
    var queued: [String] = []
    /// The file rotated away while following, still read until `retireAt`.
    var retiring: (source: Source, until: Double)?

    public struct Line {
        public var text: Substring
        public var number: Int
        public var offset: Int64
        /// The file the line is in (the live path, or a rotated one).
        public var file: String
    }

    /// How many bytes at a file's start identify it.
    static let fingerprintBytes: Int64 = 512

    public init(path: String, statePath: String) throws(JournalError) {
        self.path = path
        self.statePath = statePath
        try resume()
    }

    deinit {
        if let c = current { close(c.fd) }
        if let r = retiring { close(r.source.fd) }
    }

    // MARK: Opening

    static func openRegular(_ path: String) throws(JournalError) -> (fd: Int32, inode: UInt64, size: Int64, modified: Double) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw .refused(path: path, reason: "no such file (the queue_log to read)")
            case ELOOP: throw .refused(path: path, reason: "not a regular file; give the queue_log file itself")
            case let e: throw .io(path: path, operation: "open", errno: e)
            }
        }
        var st = stat()
        fstat(fd, &st)
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .refused(path: path, reason: "not a regular file; give the queue_log file itself")
        }
        return (fd, UInt64(st.st_ino), Int64(st.st_size), Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    static func fingerprint(_ fd: Int32, length: Int64) -> UInt64? {
        guard length > 0 else { return 0 }
        var buf = [UInt8](repeating: 0, count: Int(length))
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(length), 0) }
        guard n == Int(length) else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in buf { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Where the saved state says reading stopped, and in which file.
    func resume() throws(JournalError) {
        let live = try Self.openRegular(path)
        current = Source(fd: live.fd, name: path, inode: live.inode)
        guard let saved = Self.readState(statePath) else { return }
        let matches = { (fd: Int32, inode: UInt64, size: Int64) -> Bool in
            guard size >= saved.offset else { return false }
            guard let fp = saved.fingerprint else { return inode == saved.inode }  // a state from before fingerprints
            return Self.fingerprint(fd, length: saved.fingerprintLength) == fp
        }
        if live.inode == saved.inode && matches(live.fd, live.inode, live.size) {
            seek(&current!, to: saved)
            return
        }
        // Rotated while stopped: the rest of the old file first, found by what it starts with,
        // then every file rotated after it, then the live one from its start.
        guard let old = Self.sibling(of: path, excluding: live.inode, where: matches) else {
            gap = "\(path) was rotated while qdeck was stopped and the file read before is no longer beside it as a plain file "
                + "(compressed or deleted): any lines it got after byte \(saved.offset) were not read; reading the new file from its start"
            return
        }
        queued = Self.rotatedAfter(old.path, modified: old.modified, beside: path, excluding: [old.inode, live.inode])
        queued.append(path)
        close(live.fd)
        current = Source(fd: old.fd, name: old.path, inode: old.inode)
        seek(&current!, to: saved)
    }

    func seek(_ s: inout Source, to saved: SavedState) {
        s.offset = saved.offset
        s.lineNumber = saved.line
        lseek(s.fd, off_t(saved.offset), SEEK_SET)
    }

    /// The regular file beside `path`, named like it, that `matches` (never through a link).
    static func sibling(of path: String, excluding inode: UInt64,
                        where matches: (Int32, UInt64, Int64) -> Bool) -> (fd: Int32, path: String, inode: UInt64, modified: Double)? {
        for candidate in siblings(of: path) {
            guard let f = try? openRegular(candidate) else { continue }
            if f.inode != inode, matches(f.fd, f.inode, f.size) { return (f.fd, candidate, f.inode, f.modified) }
            close(f.fd)
        }
        return nil
    }

    /// Plain (not compressed) files beside `path` named like it, changed since `modified`, oldest first.
    static func rotatedAfter(_ old: String, modified: Double, beside path: String, excluding: Set<UInt64>) -> [String] {
        var found: [(String, Double)] = []
        for candidate in siblings(of: path) where candidate != old {
            guard let f = try? openRegular(candidate) else { continue }
            defer { close(f.fd) }
            guard !excluding.contains(f.inode), f.modified >= modified, !compressed(f.fd) else { continue }
            found.append((candidate, f.modified))
        }
        return found.sorted { $0.1 < $1.1 }.map(\.0)
    }

    static func siblings(of path: String) -> [String] {
        let folder = FilePath.folder(of: path), name = FilePath.name(of: path)
        return directoryEntries(folder.isEmpty ? "." : folder).filter { $0 != name && $0.hasPrefix(name) }.sorted()
            .map { (folder.isEmpty ? "" : folder + "/") + $0 }
    }

    /// gzip, bzip2, xz or zstd by their magic bytes: not lines to read.
    static func compressed(_ fd: Int32) -> Bool {
        var magic = [UInt8](repeating: 0, count: 4)
        guard magic.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, 4, 0) }) == 4 else { return false }
        return magic.starts(with: [0x1F, 0x8B]) || magic.starts(with: Array("BZh".utf8)) || magic == [0xFD, 0x37, 0x7A, 0x58]
            || magic == [0x28, 0xB5, 0x2F, 0xFD]
    }

    // MARK: Reading

    /// Lines completed since the last call: the queued files' first, then the live file's. Detects
    /// rotation while following: a new file at the path is read from its start once the old one is
    /// drained (and the old one still read for a while); a file shorter than our offset was truncated.
    public func readLines() throws(JournalError) -> [Line] {
        var out: [Line] = []
        if var r = retiring {
            out += Self.readAvailable(&r.source)
            if WallClock.nowMillis > Int64(r.until * 1000) {
                close(r.source.fd)
                retiring = nil
            } else {
                retiring = r
            }
        }
        guard current != nil else { return out }
        out += Self.readAvailable(&current!)
        while let next = queued.first {
            // A queued file is done when read to its end: Asterisk writes only the live one.
            queued.removeFirst()
            let f = try Self.openRegular(next)
            close(current!.fd)
            current = Source(fd: f.fd, name: next, inode: f.inode)
            out += Self.readAvailable(&current!)
        }
        var st = stat()
        if stat(path, &st) == 0 {
            if UInt64(st.st_ino) != current!.inode {
                out += Self.readAvailable(&current!)  // the rest of the rotated file
                retiring.map { close($0.source.fd) }
                retiring = (current!, Double(WallClock.nowMillis) / 1000 + retireAfterSeconds)
                let f = try Self.openRegular(path)
                current = Source(fd: f.fd, name: path, inode: f.inode)
                out += Self.readAvailable(&current!)
            } else if Int64(st.st_size) < current!.offset + Int64(current!.partial.count) {
                close(current!.fd)
                let f = try Self.openRegular(path)
                current = Source(fd: f.fd, name: path, inode: f.inode)
                out += Self.readAvailable(&current!)
            }
        }
        return out
    }

    static func readAvailable(_ s: inout Source) -> [Line] {
        var lines: [Line] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(s.fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where buffer[i] == 0x0A {
                s.partial.append(contentsOf: buffer[start..<i])
                s.lineNumber += 1
                let lineOffset = s.offset
                s.offset += Int64(s.partial.count + 1)
                lines.append(Line(text: Substring(String(decoding: s.partial, as: UTF8.self)), number: s.lineNumber, offset: lineOffset, file: s.name))
                s.partial.removeAll(keepingCapacity: true)
                start = i + 1
            }
            s.partial.append(contentsOf: buffer[start..<n])
        }
        return lines
    }

    // MARK: The saved place

    struct SavedState {
        var inode: UInt64
        var offset: Int64
        var line: Int
        /// Nil in a state written before fingerprints were kept.
        var fingerprint: UInt64?
        var fingerprintLength: Int64
    }

    /// Saves the position after the lines handed out so far (atomically: temp file, rename), with
    /// the file's identity: its inode and the fingerprint of its first bytes.
    public func commit() throws(JournalError) {
        guard let c = current else { return }
        let length = min(Self.fingerprintBytes, c.offset)
        let fp = Self.fingerprint(c.fd, length: length) ?? 0
        // A private temporary file renamed over the state: a link planted at a predictable temporary
        // name once had another file truncated and overwritten.
        try GuardedFile.writeWhole(statePath, "\(c.inode) \(c.offset) \(c.lineNumber) \(length) \(String(fp, radix: 16))\n", like: journalPath)
    }

    static func readState(_ path: String) -> SavedState? {
        guard let text = GuardedFile.read(path, limit: 256), !text.isEmpty else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 3, let i = UInt64(parts[0]), let o = Int64(parts[1]), o >= 0, let l = Int(parts[2]) else { return nil }
        if parts.count >= 5, let n = Int64(parts[3]), n >= 0, n <= fingerprintBytes, n <= o, let fp = UInt64(parts[4], radix: 16) {
            return SavedState(inode: i, offset: o, line: l, fingerprint: fp, fingerprintLength: n)
        }
        return SavedState(inode: i, offset: o, line: l, fingerprint: nil, fingerprintLength: 0)
    }
}
