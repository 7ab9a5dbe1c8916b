import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// Files opened the way a shared host needs — those qdeck keeps beside the journal (the intake lock,
/// follow positions) and those it imports (a Maildir's messages): never through a link a neighbour
/// planted, never a FIFO or device, a mode set only on a file qdeck created, and written whole
/// through a private temporary file.
public enum GuardedFile {
    /// Opens (creating it 0660 when missing) a regular file; a link, FIFO or device is refused by name.
    /// `like`: the journal whose owner, group and mode a file qdeck creates takes (for root).
    public static func open(_ path: String, flags: Int32, create: Bool, like journal: String? = nil) throws(JournalError) -> Int32 {
        switch Sys.openRegular(path, flags: flags, create: create, noFollow: true) {
        case .success(let opened):
            if opened.created, let journal { Sys.matchJournal(opened.fd, journal: journal) }
            return opened.fd
        case .failure(.errno(let e)):
            if e == ELOOP { throw .refused(path: path, reason: "a symbolic link where qdeck keeps its own file; remove it") }
            // Not "cannot open journal": this is a file beside it (a lock, a position, a message).
            if e == EACCES { throw .refused(path: path, reason: "\(errnoText(e)); it belongs to another user or group than this one (see README, Intake: a group for the journal's folder)") }
            throw .io(path: path, operation: "open", errno: e)
        case .failure(.notRegular(let what)): throw .refused(path: path, reason: "\(what) where qdeck keeps its own file; remove it")
        }
    }

    /// The file's text (its first `limit` bytes), or nil when it is missing or not a regular file.
    public static func read(_ path: String, limit: Int = 16 << 20) -> String? {
        guard case .success(let opened) = Sys.openRegular(path, flags: O_RDONLY, noFollow: true) else { return nil }
        defer { close(opened.fd) }
        let size = Int(Sys.fileSize(opened.fd) ?? 0)
        return Sys.pread(opened.fd, from: 0, count: min(size, limit)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// All of a regular file's bytes; a link (not followed), FIFO or device is refused by name.
    /// `dir`: the folder `path` is named in (a Maildir's new/ as opened once, never re-resolved);
    /// `shownAs`: the name messages give.
    public static func readAll(_ name: String, in dir: Int32 = AT_FDCWD, shownAs shown: String? = nil) throws(JournalError) -> [UInt8] {
        let path = shown ?? name
        switch Sys.openRegular(name, flags: O_RDONLY, noFollow: true, in: dir) {
        case .success(let opened):
            defer { close(opened.fd) }
            guard let size = Sys.fileSize(opened.fd), let bytes = Sys.pread(opened.fd, from: 0, count: Int(size)) else {
                throw .io(path: path, operation: "read", errno: errno)
            }
            return bytes
        case .failure(.errno(let e)):
            if e == ELOOP { throw .refused(path: path, reason: "a symbolic link, not followed") }
            // Not "cannot open journal": this is a message or a feed.
            throw .io(path: path, operation: "open", errno: e)
        case .failure(.notRegular(let what)): throw .refused(path: path, reason: "\(what), not a message file")
        }
    }

    /// Replaces the file with `text`: a new hidden temporary file beside it (mkstemp, so no name can
    /// be planted) with `mode`, synced when `durable`, renamed over the old one. `like`: the journal
    /// whose owner and group it takes (for root).
    public static func writeWhole(_ path: String, _ text: String, mode: mode_t = 0o660, durable: Bool = true,
                                  like journal: String? = nil) throws(JournalError) {
        var template = Array((FilePath.folder(of: path) + "/." + FilePath.name(of: path) + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .io(path: path, operation: "create a temporary file", errno: errno) }
        let temp = String(cString: template)
        _ = fchmod(fd, mode)
        if let journal { Sys.matchJournal(fd, journal: journal) }
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBytes { write(fd, $0.baseAddress, bytes.count) } == bytes.count && (!durable || fsync(fd) == 0)
        close(fd)
        guard ok, rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw .io(path: path, operation: "save", errno: e)
        }
    }

    /// A file the user names to send (a reply's attachment): a link is followed (it is their own
    /// choice of file), but only a regular file is read, and one over `limit` bytes is refused by size.
    public static func readChosen(_ path: String, limit: Int64) throws(JournalError) -> [UInt8] {
        switch Sys.openRegular(path, flags: O_RDONLY) {
        case .success(let opened):
            defer { close(opened.fd) }
            guard let size = Sys.fileSize(opened.fd) else { throw .io(path: path, operation: "read", errno: errno) }
            guard size <= limit else { throw .refused(path: path, reason: "\(size) bytes, over the desk's attachment limit of \(limit) bytes (intake.max_attachment_mb)") }
            guard let bytes = Sys.pread(opened.fd, from: 0, count: Int(size)) else { throw .io(path: path, operation: "read", errno: errno) }
            return bytes
        case .failure(.errno(let e)): throw .io(path: path, operation: "open", errno: e)
        case .failure(.notRegular(let what)): throw .refused(path: path, reason: "\(what), not a file to attach")
        }
    }

    /// Where a file named `name` is saved when the user gives `path`: inside it when it is a folder
    /// (links followed: it is the user's own choice), else `path` itself.
    public static func savePath(_ path: String, name: String) -> String {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR ? path + "/" + name : path
    }

    /// Writes `bytes` to a new file only this user may read (0600): never over an existing file,
    /// never through a link (O_CREAT|O_EXCL|O_NOFOLLOW), synced. A save of an attachment.
    public static func createPrivate(_ path: String, _ bytes: [UInt8]) throws(JournalError) {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let e = errno
            if e == EEXIST { throw .refused(path: path, reason: "already exists; nothing was overwritten (choose another name)") }
            throw .io(path: path, operation: "create", errno: e)
        }
        _ = fchmod(fd, 0o600)
        let failed = Sys.writeAll(fd, bytes)
        if failed != 0 {
            close(fd); unlink(path)
            throw .writeFailed(path: path, errno: failed)
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced else { unlink(path); throw .syncFailed(path: path, errno: errno) }
    }
}
