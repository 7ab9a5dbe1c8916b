import Foundation
import QueueDeckDomain
import QueueDeckJournal
#if canImport(Glibc)
import Glibc
#endif

/// What the agent has written and not yet sent: one file per agent, ticket and kind, in a private
/// folder (0700, files 0600), kept until the text is sent or discarded on purpose. A console that
/// dies, a reply refused, an editor quit without saving: the text is still here, and `r` or `n`
/// on the ticket opens it again.
public final class DraftStore: @unchecked Sendable {
    /// A reply or a note: the same kinds the editor writes.
    public typealias Kind = EditRequest.Kind
    public let directory: String

    /// `$QDECK_DRAFTS`, else `$XDG_STATE_HOME/qdeck/drafts`, else `~/.local/state/qdeck/drafts`.
    /// `home` is the user's home as the caller resolves it (never a fallback such as /tmp).
    public static func defaultDirectory(_ env: [String: String], home: String) -> String {
        if let d = env["QDECK_DRAFTS"], !d.isEmpty { return d }
        let state = env["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? (home + "/.local/state")
        return state + "/qdeck/drafts"
    }

    /// Creates the folder (and its parents) private to this user; refuses one that is not a folder
    /// of ours or that others can read.
    public init(directory: String) throws {
        self.directory = directory
        var path = ""
        for part in directory.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw DraftError(description: "\(path): cannot create the drafts folder: \(String(cString: strerror(errno)))")
            }
        }
        var st = stat()
        guard lstat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw DraftError(description: "\(directory): the drafts folder is not a folder (a symlink?)")
        }
        guard st.st_uid == geteuid() else { throw DraftError(description: "\(directory): the drafts folder belongs to someone else") }
        if st.st_mode & 0o077 != 0 { _ = chmod(directory, 0o700) }  // ours: make it private
    }

    public func path(agent: String, ticket: TicketID, kind: Kind) -> String {
        "\(directory)/\(fileName(agent))-\(ticket.raw).\(kind.rawValue)"
    }

    /// The agent's name as a file name: letters, digits, `_` and `.`; anything else `_`.
    func fileName(_ agent: String) -> String {
        String(agent.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == ".") ? Character(s) : "_"
        })
    }

    public func load(agent: String, ticket: TicketID, kind: Kind) -> String? {
        readFile(path(agent: agent, ticket: ticket, kind: kind))
    }

    /// A regular file's text, never following a link, nor blocking on a FIFO.
    func readFile(_ path: String) -> String? { GuardedFile.read(path) }

    /// Writes the draft whole (a private temporary file renamed over the old one).
    public func save(_ text: String, agent: String, ticket: TicketID, kind: Kind) throws {
        try writeWhole(path(agent: agent, ticket: ticket, kind: kind), text)
    }

    /// Private (0600); not synced: a draft must outlive the console, not a power cut, and the
    /// composer saves one at every key.
    func writeWhole(_ target: String, _ text: String) throws {
        do { try GuardedFile.writeWhole(target, text, mode: 0o600, durable: false) } catch {
            throw DraftError(description: "cannot save the draft: \(error)")
        }
    }

    public func remove(agent: String, ticket: TicketID, kind: Kind) {
        unlink(path(agent: agent, ticket: ticket, kind: kind))
    }

    /// Tickets with a draft of this agent (for the list's marker).
    public func tickets(agent: String) -> Set<TicketID> {
        let prefix = fileName(agent)
        var out: Set<TicketID> = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix + "-") {
            let raw = name.dropFirst(prefix.count + 1).split(separator: ".").first.map(String.init) ?? ""
            if let id = TicketID(raw) { out.insert(id) }
        }
        return out
    }
}

extension DraftStore {
    /// What the agent had not read when the console last stopped, and when that was: a console
    /// started later marks those, and whatever customers wrote since, as unread.
    public func loadUnread(agent: String) -> (at: Instant, tickets: Set<TicketID>)? {
        guard let text = readFile("\(directory)/\(fileName(agent)).unread") else { return nil }
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty, let ms = Int64(lines.removeFirst()) else { return nil }
        return (Instant(ms: ms), Set(lines.compactMap { TicketID($0) }))
    }

    public func saveUnread(agent: String, at: Instant, tickets: Set<TicketID>) throws {
        try writeWhole("\(directory)/\(fileName(agent)).unread", ([String(at.ms)] + tickets.map(\.raw).sorted()).joined(separator: "\n") + "\n")
    }
}

public struct DraftError: Error, CustomStringConvertible {
    public var description: String
}
