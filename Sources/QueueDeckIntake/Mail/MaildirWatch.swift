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
    /// Wakes on arrivals in new/ and cur/; without a wake-up the folders are listed again each
    /// minute (a lost one), or every 2 s where inotify is missing.
    private let follower: FileFollower

    /// One message waiting to be stored: where it is, and the name it will have in `cur/`.
    public struct Message {
        /// `new` or `cur`.
        public var sub: String
        public var name: String
        public var done: String
        public var path: String

        /// Read before the watcher met it: in `cur/` with the seen flag (read on the server
        /// before the fetcher brought it): history, not a live arrival.
        public var seenBefore: Bool { sub == "cur" && MaildirWatch.split(name).flags.contains("S") }
    }

    public init(folder: String) throws(JournalError) {
        self.folder = folder
        for sub in ["new", "cur", "tmp"] {
            var st = stat()
            guard stat(folder + "/" + sub, &st) == 0 else {
                throw .refused(path: folder, reason: "not a Maildir: no \(sub)/ folder (a fetcher such as mbsync creates them)")
            }
        }
        follower = FileFollower(folders: [folder + "/new", folder + "/cur"], pollFallbackMillis: 2000)
    }

    /// A folder of the Maildir opened as itself, never through a link: a `new/` swapped for a link
    /// to /etc while the watcher runs must not have /etc read and moved.
    func open(_ sub: String) throws(JournalError) -> Int32 {
        let fd = Glibc.open(folder + "/" + sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENOTDIR { throw .refused(path: folder + "/" + sub, reason: "a symbolic link or not a folder; a Maildir's folders are its own") }
            throw .io(path: folder + "/" + sub, operation: "open the folder", errno: errno)
        }
        return fd
    }

    /// Messages waiting: everything in `new/`, and what is in `cur/` without qdeck's mark, oldest
    /// name first (Maildir names begin with the delivery time).
    public func waiting() throws(JournalError) -> [Message] {
        var out: [Message] = []
        for sub in ["new", "cur"] {
            let fd = try open(sub)
            defer { close(fd) }
            for name in directoryEntries(inFolder: fd) {
                guard !name.hasPrefix(".") else { continue }
                let (unique, flags) = Self.split(name)
                if sub == "cur" && flags.contains("q") { continue }
                out.append(Message(sub: sub, name: name, done: unique + ":2," + Self.marked(flags), path: folder + "/" + sub + "/" + name))
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// The message's bytes, read from its folder as opened now (never through a link).
    public func read(_ m: Message) throws(JournalError) -> [UInt8] {
        let dir = try open(m.sub)
        defer { close(dir) }
        return try GuardedFile.readAll(m.name, in: dir, shownAs: m.path)
    }

    /// Moves a stored message to `cur/` with its flags plus seen and qdeck's mark, between the
    /// folders as opened now. Nil when done (or the fetcher removed it meanwhile); else why not.
    public func markStored(_ m: Message) -> String? {
        guard m.sub != "cur" || m.name != m.done else { return nil }
        do throws(JournalError) {
            let from = try open(m.sub), to = try open("cur")
            defer { close(from); close(to) }
            if renameat(from, m.name, to, m.done) != 0 && errno != ENOENT {
                return "stored, but cannot be moved to cur/: \(String(cString: strerror(errno))); the watcher must be able to write the Maildir"
            }
            return nil
        } catch {
            return "stored, but not moved to cur/: \(error)"
        }
    }

    /// Waits until a message may have arrived or the fallback interval passes; true when woken.
    @discardableResult
    public func wait() -> Bool { follower.wait(timeoutMillis: follower.fileDescriptor >= 0 ? 60_000 : 2_000) }

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
}
