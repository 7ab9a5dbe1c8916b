#if canImport(Glibc)
import Glibc
#endif
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
        guard resume, let saved = Self.readState(statePath), saved.inode == inode, saved.offset <= Int64(st.st_size) else { return }
        offset = saved.offset
        lineNumber = saved.line
        lseek(fd, off_t(offset), SEEK_SET)
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
