import Foundation
import QueueDeckDomain

/// Whether a configuration file or folder can be trusted on a host shared with strangers: a team
/// file decides roles, so one planted in a folder others can write (beside a journal in /tmp, in a
/// HOME that fell back to /tmp) must not be read.
public enum TrustedPath {
    /// Nil when the file may be read: a regular file, not writable by others, in a folder that
    /// strangers cannot fill, owned by root or, for the team file of an existing journal `desk`, by
    /// the journal's owner (the file decides everyone's role: an agent's own file must not make them
    /// administrator); with no journal, by this user or the owner of its folder. Else why not.
    public static func problem(file path: String, desk: String? = nil) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }  // missing: reading it says so
        let kind = st.st_mode & S_IFMT
        if kind == S_IFLNK {
            // A link is as good as what it points to, and where it stands.
            guard stat(path, &st) == 0 else { return nil }
        }
        guard st.st_mode & S_IFMT == S_IFREG else { return "not a regular file" }
        if st.st_mode & 0o002 != 0 { return "writable by anyone (mode \(String(st.st_mode & 0o777, radix: 8))); make it not writable by others" }
        let folder = FilePath.folder(of: path)
        var dir = stat()
        guard stat(folder, &dir) == 0 else { return nil }
        let owner = st.st_uid
        if dir.st_mode & 0o002 != 0 && dir.st_mode & S_ISVTX == 0 {
            return "its folder \(folder) is writable by anyone; keep configuration where strangers cannot replace it"
        }
        var journal = stat()
        if let desk, stat(desk, &journal) == 0 {
            if owner != 0 && owner != journal.st_uid {
                return "owned by \(userName(owner)), not by root or the journal's owner (\(userName(journal.st_uid))); a team file decides everyone's role, so only they may provide it"
            }
            return nil
        }
        if owner != geteuid() && owner != 0 && owner != dir.st_uid {
            return "owned by \(userName(owner)), who is neither you, root, nor the owner of its folder; a stranger may have planted it"
        }
        return nil
    }

    /// Nil when a folder qdeck would keep its files in is ours (or root's) and not writable by others.
    public static func problem(folder path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        guard st.st_mode & S_IFMT == S_IFDIR else { return "not a folder" }
        if st.st_uid != geteuid() && st.st_uid != 0 { return "owned by \(userName(st.st_uid)), not you" }
        if st.st_mode & 0o002 != 0 { return "writable by anyone (mode \(String(st.st_mode & 0o777, radix: 8)))" }
        return nil
    }

    static func userName(_ uid: uid_t) -> String {
        if let pw = getpwuid(uid), let n = pw.pointee.pw_name { return String(cString: n) }
        return "uid \(uid)"
    }
}
