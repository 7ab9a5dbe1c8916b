import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// Small wrappers over the system calls the journal needs, with errno kept.
enum Sys {
    static func fileSize(_ fd: Int32) -> Int64? {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : nil
    }

    /// Up to `count` bytes from `offset` (fewer at end of file), read into memory that is not zeroed first.
    static func pread(_ fd: Int32, from offset: Int64, count: Int) -> [UInt8]? {
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            var got = 0
            while got < count {
                let n = Glibc.pread(fd, buf.baseAddress! + got, count - got, off_t(offset) + off_t(got))
                if n < 0 { if errno == EINTR { continue }; failed = true; break }
                if n == 0 { break }
                got += n
            }
            initialized = got
        }
        return failed ? nil : out
    }

    enum OpenFailure: Error {
        case errno(Int32)
        /// Not a regular file: what it is instead (a device, a FIFO, a folder).
        case notRegular(String)
    }

    /// Opens a regular file, and only a regular file: never blocks on a FIFO (O_NONBLOCK until
    /// checked), refuses a device or folder by name. With `create`, makes it if missing
    /// (O_CREAT|O_EXCL) and says so: only a file qdeck created gets its mode set (never a stranger's,
    /// such as /dev/null given as the journal by root). `noFollow` refuses a symlink in the last
    /// component (files beside the journal, where a neighbour could plant one).
    /// `dir`: a folder's descriptor that a relative `path` is opened in (openat), never re-resolved by name.
    static func openRegular(_ path: String, flags: Int32, create: Bool = false, noFollow: Bool = false,
                            in dir: Int32 = AT_FDCWD) -> Result<(fd: Int32, created: Bool), OpenFailure> {
        let base = flags | O_CLOEXEC | O_NONBLOCK | (noFollow ? O_NOFOLLOW : 0)
        var created = false
        var fd: Int32 = -1
        if create {
            fd = openat(dir, path, base | O_CREAT | O_EXCL, 0o660)
            if fd >= 0 { created = true } else if errno != EEXIST { return .failure(.errno(errno)) }
        }
        if fd < 0 {
            fd = openat(dir, path, base)
            guard fd >= 0 else { return .failure(.errno(errno)) }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let e = errno; close(fd); return .failure(.errno(e)) }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(fd)
            let what: String
            switch kind {
            case S_IFCHR: what = "a character device"
            case S_IFBLK: what = "a block device"
            case S_IFIFO: what = "a FIFO"
            case S_IFDIR: what = "a folder"
            case S_IFSOCK: what = "a socket"
            default: what = "not a regular file"
            }
            return .failure(.notRegular(what))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        // Never world-readable: tickets hold customer data. Set explicitly; the umask may differ.
        if created { _ = fchmod(fd, 0o660) }
        return .success((fd, created))
    }

    /// Gives a file qdeck just created beside the journal the journal's owner and group when root
    /// writes it (a repair or snapshot by root must not lock out the MTA's user or the agents), and
    /// the journal's mode without any bits for others (at least 0660: the team reads and writes).
    static func matchJournal(_ fd: Int32, journal: String, keepMode: Bool = false) {
        var st = stat()
        guard stat(journal, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return }
        if geteuid() == 0 && (st.st_uid != 0 || st.st_gid != 0) { _ = fchown(fd, st.st_uid, st.st_gid) }
        _ = fchmod(fd, keepMode ? (st.st_mode & 0o770) : ((st.st_mode & 0o770) | 0o660))
    }

    /// Writes all of `bytes` (in pieces of at most 1 MiB, retrying interrupted writes): 0, or the errno
    /// that stopped it (ENOSPC for a write that made no progress).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, min(bytes.count - done, 1 << 20)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : ENOSPC }
            done += n
        }
        return 0
    }

    /// Syncs a directory so a rename or create in it is durable.
    static func syncDirectory(of path: String) {
        let dir = FilePath.folder(of: path)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }


    /// Writes `bytes` to a new file (0660, or the journal's owner, group and mode with `like`), synced.
    /// Used to keep cut or damaged bytes beside the log, and for a repaired journal.
    static func writeAside(_ bytes: [UInt8], to path: String, like journal: String? = nil, keepMode: Bool = false) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o660)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        _ = fchmod(fd, 0o660)
        if let journal { matchJournal(fd, journal: journal, keepMode: keepMode) }
        return writeAll(fd, bytes) == 0 && fsync(fd) == 0
    }

    /// File-system types on which appends, locks and inotify are not reliable.
    static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "afs", "glusterfs", "lustre", "gpfs", "fuse.sshfs",
        "fuse.glusterfs", "fuse.s3fs", "davfs", "fuse.rclone",
    ]

    /// The type of the file system holding `path` if it is a network one, from /proc/self/mounts
    /// (longest mount point that contains the resolved path).
    static func networkFileSystem(at path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        let dir = String(cString: resolved)
        free(resolved)
        return networkFileSystem(at: dir, mounts: readMounts())
    }

    static func readMounts() -> String {
        let fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        close(fd)
        return String(decoding: data, as: UTF8.self)
    }

    /// The network file-system type holding the resolved directory `dir`, given /proc/self/mounts text.
    static func networkFileSystem(at dir: String, mounts: String) -> String? {
        var best: (String, String)? = nil
        for line in mounts.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 3 else { continue }
            let mount = f[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = mount == "/" || dir == mount || dir.hasPrefix(mount + "/")
            if inside && mount.count >= (best?.0.count ?? -1) { best = (mount, String(f[2])) }
        }
        guard let type = best?.1 else { return nil }
        return networkTypes.contains(type) ? type : nil
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}

/// The names in a folder, without . and ..
public func directoryEntries(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    return entries(d)
}

/// The names in a folder already opened (its descriptor stays open), without . and ..
public func directoryEntries(inFolder fd: Int32) -> [String] {
    guard let d = fdopendir(dup(fd)) else { return [] }
    return entries(d)
}

private func entries(_ d: OpaquePointer) -> [String] {
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
