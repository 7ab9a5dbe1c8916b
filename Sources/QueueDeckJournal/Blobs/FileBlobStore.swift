import QueueDeckDomain
#if canImport(Glibc)
import Glibc
#endif

/// Blobs beside a journal file: `<journal>.blobs/<first two hex digits>/<digest>`, folders 0770
/// and files with the journal's group and mode (never readable by others). Every folder is opened
/// as itself (O_NOFOLLOW|O_DIRECTORY) and checked, so a link or a neighbour's folder planted in its
/// place is refused, never written through.
public final class FileBlobStore: BlobStore {
    public let folder: String
    let journal: String

    /// Files written but not yet synced (`deferSync`), by shard folder.
    private var pending: [String: Set<String>] = [:]

    public init(journal: String) {
        self.journal = journal
        folder = journal + ".blobs"
    }

    /// Syncs each deferred file, then each folder it was named in once, then the store's folder:
    /// the syncs a batch needs and no others (a file-system-wide syncfs would also flush whatever
    /// other users of a shared host have pending, at their cost and ours).
    public func syncDeferred() throws(JournalError) {
        guard !pending.isEmpty else { return }
        let top = try openFolder(folder, at: AT_FDCWD, name: folder, create: true)
        defer { close(top) }
        for (shard, names) in pending.sorted(by: { $0.key < $1.key }) {
            let sub = try openFolder(shard, at: top, name: folder + "/" + shard, create: false)
            defer { close(sub) }
            for name in names.sorted() {
                let fd = openat(sub, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                guard fd >= 0 else { throw .io(path: folder + "/" + shard + "/" + name, operation: "open", errno: errno) }
                let synced = fsync(fd) == 0
                close(fd)
                guard synced else { throw .syncFailed(path: folder + "/" + shard + "/" + name, errno: errno) }
            }
            guard fsync(sub) == 0 else { throw .syncFailed(path: folder + "/" + shard, errno: errno) }
        }
        guard fsync(top) == 0 else { throw .syncFailed(path: folder, errno: errno) }
        pending = [:]
    }

    public func put(_ bytes: [UInt8], deferSync: Bool) throws(JournalError) -> BlobDigest {
        let digest = BlobDigest(of: bytes)
        let top = try openFolder(folder, at: AT_FDCWD, name: folder, create: true)
        defer { close(top) }
        let shard = String(digest.hex.prefix(2))
        let sub = try openFolder(shard, at: top, name: folder + "/" + shard, create: true)
        defer { close(sub) }
        let path = self.path(of: digest)
        var st = stat()
        if fstatat(sub, digest.hex, &st, AT_SYMLINK_NOFOLLOW) == 0 {
            // Already stored, and not something planted under its name.
            guard st.st_mode & S_IFMT == S_IFREG else { throw .refused(path: path, reason: "not a regular file where qdeck keeps an attachment; remove it") }
            // The same bytes again: kept once. Checked, not trusted by size: a copy written by an import
            // that crashed before its sync can have the right length and lost blocks.
            if Int(st.st_size) == bytes.count, let kept = try? GuardedFile.readAll(digest.hex, in: sub, shownAs: path), kept == bytes { return digest }
            _ = unlinkat(sub, digest.hex, 0)  // a torn copy: written again below
        }
        let temp = ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = openat(sub, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        _ = fchmod(fd, 0o660)
        Sys.matchJournal(fd, journal: journal)
        let failed = Sys.writeAll(fd, bytes)
        if failed != 0 {
            close(fd); _ = unlinkat(sub, temp, 0)
            throw .writeFailed(path: path, errno: failed)
        }
        guard deferSync || fsync(fd) == 0 else { let e = errno; close(fd); _ = unlinkat(sub, temp, 0); throw .syncFailed(path: path, errno: e) }
        close(fd)
        guard renameat(sub, temp, sub, digest.hex) == 0 else { let e = errno; _ = unlinkat(sub, temp, 0); throw .io(path: path, operation: "rename", errno: e) }
        if deferSync { pending[shard, default: []].insert(digest.hex); return digest }
        guard fsync(sub) == 0, fsync(top) == 0 else { throw .syncFailed(path: path, errno: errno) }
        return digest
    }

    public func get(_ digest: BlobDigest) throws(JournalError) -> [UInt8] {
        let shard = String(digest.hex.prefix(2))
        let path = self.path(of: digest)
        let top = try openFolder(folder, at: AT_FDCWD, name: folder, create: false)
        defer { close(top) }
        let sub = try openFolder(shard, at: top, name: folder + "/" + shard, create: false)
        defer { close(sub) }
        var st = stat()
        if fstatat(sub, digest.hex, &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT { throw Self.missing(path) }
        let bytes = try GuardedFile.readAll(digest.hex, in: sub, shownAs: path)
        guard BlobDigest(of: bytes) == digest else { throw .refused(path: path, reason: "damaged: its bytes no longer match their SHA-256") }
        return bytes
    }

    public func check(_ digest: BlobDigest) -> BlobCheck {
        do throws(JournalError) {
            _ = try get(digest)
            return .intact
        } catch {
            if case .refused(_, Self.missingReason) = error { return .missing }
            if case .io(_, _, let e) = error, e == EACCES || e == EPERM { return .unreadable(error.description) }
            return .damaged(error.description)
        }
    }

    func path(of digest: BlobDigest) -> String { folder + "/" + digest.hex.prefix(2) + "/" + digest.hex }

    static let missingReason = "missing: the attachment is not in the store"
    static func missing(_ path: String) -> JournalError { .refused(path: path, reason: missingReason) }

    /// A folder of the store, opened as itself. Created 0770 when missing (and `create`); one that is
    /// a link, not a folder, open to others, or owned by someone other than this user or the
    /// journal's owner is refused: its files would not be the desk's alone.
    func openFolder(_ relative: String, at dir: Int32, name: String, create: Bool) throws(JournalError) -> Int32 {
        var made = false
        if create {
            if mkdirat(dir, relative, 0o770) == 0 { made = true } else if errno != EEXIST { throw .io(path: name, operation: "create folder", errno: errno) }
        }
        let fd = openat(dir, relative, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw Self.missing(name) }
            if e == ELOOP || e == ENOTDIR { throw .refused(path: name, reason: "not a folder (a link or a file) where qdeck keeps attachments; remove it") }
            throw .io(path: name, operation: "open folder", errno: e)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let e = errno; close(fd); throw .io(path: name, operation: "stat", errno: e) }
        if made {
            // The journal's group, kept by everything made inside (setgid), as README's `install -d -m 2770`
            // does for the journal's folder: mail stored by the intake user is readable by the agents,
            // and a file an agent sends by the intake user and the other agents. (A plain 0770 once
            // dropped the setgid bit a folder inherited, and the mail server's files took its own group.)
            var j = stat()
            if stat(journal, &j) == 0 {
                if geteuid() == 0, j.st_uid != 0 || j.st_gid != 0 { _ = fchown(fd, j.st_uid, j.st_gid) }
                else if st.st_gid != j.st_gid { _ = fchown(fd, uid_t.max, j.st_gid) }  // allowed when this user is in the group
            }
            _ = fchmod(fd, 0o2770)
            return fd
        }
        var j = stat()
        let journalOwner = stat(journal, &j) == 0 ? j.st_uid : geteuid()
        guard st.st_uid == geteuid() || st.st_uid == journalOwner || st.st_uid == 0 else {
            close(fd)
            throw .refused(path: name, reason: "belongs to user \(st.st_uid), not to the journal's owner; qdeck keeps no attachments there")
        }
        guard st.st_mode & 0o007 == 0 else {
            close(fd)
            throw .refused(path: name, reason: "open to other users (mode \(String(st.st_mode & 0o777, radix: 8))); qdeck keeps no attachments there (chmod o-rwx it)")
        }
        return fd
    }
}
