#if canImport(Glibc)
import Glibc
#endif
import QueueDeckDomain
import QueueDeckJournal

/// A Maildir that a mail fetcher (mbsync, getmail) fills, followed: each message is stored in the
/// journal first (durably), then moved to `cur/` with the seen flag and qdeck's own mark, `q`. A
/// crash between the two leaves the message where it was; read again on restart, it is recognised
/// by its key (Message-ID) and only moved. Messages the fetcher put straight into `cur/` (read on
/// the server already) are taken too, unless they carry the mark.
public final class MaildirWatch {
    public let folder: String
    /// Wakes on arrivals in new/ and cur/; the folders are listed again every 2 s without one (a
    /// lost wake-up, or no inotify).
    private let follower: FileFollower

    /// One message waiting to be stored: its file and the name it will have in `cur/`.
    public struct Message {
        public var path: String
        public var done: String
    }

    public init(folder: String) throws(JournalError) {
        self.folder = folder
        for sub in ["new", "cur", "tmp"] {
            var st = stat()
            guard lstat(folder + "/" + sub, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                throw .refused(path: folder, reason: "not a Maildir (no \(sub)/ folder; a fetcher such as mbsync creates them)")
            }
        }
        follower = FileFollower(folders: [folder + "/new", folder + "/cur"], pollFallbackMillis: 2000)
    }

    /// Messages waiting: everything in `new/`, and what is in `cur/` without qdeck's mark, oldest
    /// name first (Maildir names begin with the delivery time).
    public func waiting() -> [Message] {
        var out: [Message] = []
        for sub in ["new", "cur"] {
            for name in Self.list(folder + "/" + sub) {
                guard !name.hasPrefix(".") else { continue }
                let (unique, flags) = Self.split(name)
                if sub == "cur" && flags.contains("q") { continue }
                out.append(Message(path: folder + "/" + sub + "/" + name,
                                   done: folder + "/cur/" + unique + ":2," + Self.marked(flags)))
            }
        }
        return out.sorted { $0.path.split(separator: "/").last! < $1.path.split(separator: "/").last! }
    }

    /// Moves a stored message to `cur/` with its flags plus seen and qdeck's mark. A message the
    /// fetcher removed meanwhile is no error: it is stored.
    public func markStored(_ m: Message) {
        guard m.path != m.done else { return }
        _ = rename(m.path, m.done)
    }

    /// Waits until a message may have arrived or the fallback interval passes; true when woken.
    @discardableResult
    public func wait() -> Bool { follower.wait() }

    /// The unique part of a Maildir name and its flags (`1733…M1P2.host:2,FS` → ("1733…M1P2.host", "FS")).
    static func split(_ name: String) -> (unique: String, flags: String) {
        guard let colon = name.firstIndex(of: ":") else { return (name, "") }
        let info = name[name.index(after: colon)...]
        let flags = info.hasPrefix("2,") ? String(info.dropFirst(2)) : ""
        return (String(name[..<colon]), flags)
    }

    /// Flags with S (seen) and q (stored by qdeck) added, in ASCII order as Maildir asks.
    static func marked(_ flags: String) -> String {
        String(Set(flags + "Sq").sorted())
    }

    static func list(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }
}
