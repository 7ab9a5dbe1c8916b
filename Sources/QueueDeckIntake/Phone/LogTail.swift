#if canImport(Glibc)
import Glibc
#endif
import QueueDeckDomain
import QueueDeckJournal

/// Reads whole lines appended to a log file, following it across rotation (the file renamed and a
/// new one created, or truncated in place), and remembers where it stopped in a small state file
/// so that a restart resumes there. Bytes after the last newline wait for the rest of their line.
public final class LogTail {
    public let path: String
    public let statePath: String
    /// The journal whose owner and group the state file takes when root writes it.
    public var journalPath: String?
    var fd: Int32 = -1
    var inode: UInt64 = 0
    /// The byte after the last whole line handed out (and, after `commit`, saved).
    public private(set) var offset: Int64 = 0
    var lineNumber = 0
    var partial: [UInt8] = []

    public struct Line {
        public var text: Substring
        public var number: Int
        public var offset: Int64
    }

    /// Set when the file read before was rotated away while nobody followed it and cannot be
    /// found beside the new one (compressed, deleted): what was not read, for the admin.
    public private(set) var gap: String?

    public init(path: String, statePath: String) throws(JournalError) {
        self.path = path
        self.statePath = statePath
        try open(resume: true)
    }

    deinit { if fd >= 0 { close(fd) } }

    func open(resume: Bool) throws(JournalError) {
        if fd >= 0 { close(fd) }
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT ? .missing(path: path) : .cannotOpen(path: path, errno: errno) }
        var st = stat()
        fstat(fd, &st)
        inode = UInt64(st.st_ino)
        offset = 0
        lineNumber = 0
        partial = []
        guard resume, let saved = Self.readState(statePath) else { return }
        if saved.inode != inode {
            // Rotated while stopped: the rest of the old file first (`queue_log.1`, a dated name,
            // whatever the rotation called it: found by its inode), then the new one from its start.
            guard let (old, size) = Self.rotated(from: path, inode: saved.inode), saved.offset <= size else {
                gap = "\(path) was rotated while qdeck was stopped and the file read before (inode \(saved.inode)) is no longer beside it "
                    + "as a plain file: any lines it got after byte \(saved.offset) were not read; reading the new file from its start"
                return
            }
            close(fd)
            fd = old
            inode = saved.inode
        } else if saved.offset > Int64(st.st_size) {
            return  // truncated in place: from the start
        }
        offset = saved.offset
        lineNumber = saved.line
        lseek(fd, off_t(offset), SEEK_SET)
    }

    /// The regular file in `path`'s folder, named like it, with this inode (never through a link).
    static func rotated(from path: String, inode: UInt64) -> (fd: Int32, size: Int64)? {
        let folder = FilePath.folder(of: path), name = FilePath.name(of: path)
        guard let dir = opendir(folder.isEmpty ? "." : folder) else { return nil }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            guard entryName != name, entryName.hasPrefix(name), UInt64(entry.pointee.d_ino) == inode else { continue }
            let candidate = (folder.isEmpty ? "" : folder + "/") + entryName
            let fd = Glibc.open(candidate, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard fd >= 0 else { continue }
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, UInt64(st.st_ino) == inode { return (fd, Int64(st.st_size)) }
            close(fd)
        }
        return nil
    }

    /// Lines completed since the last call. Detects rotation: a new file at the path is read from
    /// its start once the old one is drained; a file shorter than our offset was truncated.
    public func readLines() throws(JournalError) -> [Line] {
        var out = readAvailable()
        var st = stat()
        if stat(path, &st) == 0 {
            if UInt64(st.st_ino) != inode {
                out += readAvailable()  // the rest of the rotated file
                try open(resume: false)
                out += readAvailable()
            } else if Int64(st.st_size) < offset + Int64(partial.count) {
                try open(resume: false)
                out += readAvailable()
            }
        }
        return out
    }

    func readAvailable() -> [Line] {
        var lines: [Line] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where buffer[i] == 0x0A {
                partial.append(contentsOf: buffer[start..<i])
                lineNumber += 1
                let lineOffset = offset
                offset += Int64(partial.count + 1)
                lines.append(Line(text: Substring(String(decoding: partial, as: UTF8.self)), number: lineNumber, offset: lineOffset))
                partial.removeAll(keepingCapacity: true)
                start = i + 1
            }
            partial.append(contentsOf: buffer[start..<n])
        }
        return lines
    }

    /// Saves the position after the lines handed out so far (atomically: temp file, rename).
    public func commit() throws(JournalError) {
        // A private temporary file renamed over the state: a link planted at a predictable temporary
        // name once had another file truncated and overwritten.
        try GuardedFile.writeWhole(statePath, "\(inode) \(offset) \(lineNumber)\n", like: journalPath)
    }

    static func readState(_ path: String) -> (inode: UInt64, offset: Int64, line: Int)? {
        guard let text = GuardedFile.read(path, limit: 128), !text.isEmpty else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 3, let i = UInt64(parts[0]), let o = Int64(parts[1]), let l = Int(parts[2]) else { return nil }
        return (i, o, l)
    }
}
