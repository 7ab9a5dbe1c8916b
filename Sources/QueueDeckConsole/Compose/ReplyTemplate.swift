import Foundation
import QueueDeckDomain
import QueueDeckMail
import QueueDeckText

/// The file an agent edits for a reply or a note: the text (with the customer's last message quoted
/// for a reply), then a comment block below a scissors line — who, which ticket, how to cancel —
/// that is cut off before sending. Pure: tests build and strip templates without an editor.
public enum ReplyTemplate {
    public static let scissors = "# ------------------------ >8 ------------------------"

    /// The text part of a new reply: an empty line to write on, then the quote.
    public static func quote(_ t: Ticket, time: (Instant) -> String) -> String {
        guard let last = t.entries.last(where: { $0.kind == .customer }) else { return "" }
        // Customer text reaches the editor's terminal only through the screen sanitiser's lines.
        let lines = ScreenText.lines(last.body.trimmingTrailingNewlines())
        return "\n\nOn \(time(last.at)), \(ScreenText.line(last.author)) wrote:\n" + lines.map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n") + "\n"
    }

    /// The lines below the scissors an agent may edit on an email reply (they are not sent as text).
    static let fieldNames = ["to", "cc", "attach"]

    /// Who gets an email reply to one ticket (the customer, the ticket's Cc list) and an empty
    /// `Attach:` line for files: the lines under the scissors.
    public static func recipientLines(_ t: Ticket) -> [String] {
        let to = t.customer.email.map { e in t.customer.name.isEmpty || t.customer.name == e ? e : "\(ScreenText.line(t.customer.name).replacingQuotes()) <\(e)>" } ?? ""
        return ["To: \(ScreenText.line(to))", "Cc: \(ScreenText.line(t.cc.joined(separator: ", ")))", "Attach: "]
    }

    static func isField(_ line: Substring) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        return fieldNames.contains(line[..<colon].lowercased())
    }

    /// A reply's text and its `To:`, `Cc:` and `Attach:` lines. The text a reply is kept as (a draft,
    /// a reply being sent) holds the lines after a scissors line of its own, as `body(of:)` gives it;
    /// text without one has none. Several `Attach:` lines give several files.
    public static func fields(of body: String) -> (fields: [(name: String, value: String)], text: String) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard let cut = lines.firstIndex(where: { String($0).trimmingTrailingWhitespace() == scissors }) else { return ([], body) }
        let fields = lines[(cut + 1)...].filter(isField).map { line in
            let colon = line.firstIndex(of: ":")!
            return (line[..<colon].lowercased(), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        return (fields, lines[..<cut].joined(separator: "\n").trimmingBlankLines())
    }

    /// `text` with `fields` under a scissors line, as `body(of:)` keeps them.
    public static func joined(_ text: String, _ fields: [(name: String, value: String)]) -> String {
        guard !fields.isEmpty else { return text }
        return text + "\n" + scissors + "\n" + fields.map { "\(label($0.name)): \($0.value)" }.joined(separator: "\n")
    }

    static func label(_ name: String) -> String { name == "cc" ? "Cc" : name == "to" ? "To" : "Attach" }

    /// The whole file: `text` (a draft, or an empty reply with its quote), then the scissors line,
    /// the lines the agent may edit there (an email reply's recipients and files), and the comments.
    public static func file(text: String, kind: EditRequest.Kind, tickets: [Ticket], agent: Agent) -> String {
        let (kept, plain) = fields(of: text)
        var comment = [scissors]
        let what = kind == .reply ? "reply" : "internal note (the customer does not see it)"
        var editable = false
        if tickets.count == 1, let t = tickets.first {
            editable = kind == .reply && t.channel == .email
            if editable { comment += kept.isEmpty ? recipientLines(t) : kept.map { "\(label($0.name)): \($0.value)" } }
            let who = ScreenText.line(t.customer.name) + (t.customer.email.map { " <\(ScreenText.line($0))>" } ?? "")
            comment.append("# \(what) by \(agent.name) on \(t.id) (\(t.channel.rawValue)) for \(who)")
            comment.append("# Subject: \(ScreenText.line(t.subject))")
            if editable {
                comment.append("# To: and Cc: above say who gets it (comma-separated, one address each; Cc: empty for nobody).")
                comment.append("# Attach: a file's path; one Attach: line per file.")
            }
        } else {
            comment.append("# the same \(what) by \(agent.name) to \(tickets.count) tickets, each sent on its own:")
            for t in tickets.prefix(20) { comment.append("#   \(t.id) \(ScreenText.line(t.customer.name)): \(ScreenText.line(t.subject))") }
            if tickets.count > 20 { comment.append("#   … and \(tickets.count - 20) more") }
        }
        comment.append("# Placeholders filled for each ticket: " + Placeholders.names.map(\.0).joined(separator: " "))
        comment.append(editable ? "# Everything from the scissors line down is removed before sending, but for the To:, Cc: and Attach: lines."
                                : "# Everything from the scissors line down is removed before sending.")
        comment.append("# To send: save and quit. To cancel: quit without saving (:q! in vim), or save it empty.")
        comment.append("# Saved but not sent (the editor quit with an error, :cq in vim) stays a draft of this ticket.")
        return plain + (plain.hasSuffix("\n") || plain.isEmpty ? "" : "\n") + "\n" + comment.joined(separator: "\n") + "\n"
    }

    /// What an edited file says: everything above the scissors line, without trailing blank lines
    /// or leading ones; then, when the agent left any, the To:, Cc: and Attach: lines under a
    /// scissors line (what `fields(of:)` reads back).
    public static func body(of file: String) -> String {
        var lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fieldLines: [String] = []
        if let cut = lines.firstIndex(where: { $0.trimmingTrailingWhitespace() == scissors }) {
            fieldLines = lines[(cut + 1)...].filter { isField(Substring($0)) }.map { $0.trimmingTrailingWhitespace() }
            lines = Array(lines[..<cut])
        }
        let text = lines.map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n").trimmingBlankLines()
        return fieldLines.isEmpty ? text : text + "\n" + scissors + "\n" + fieldLines.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" || l == "\r\n" { s.removeLast() }
        return String(s)
    }

    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }

    /// Without blank lines at the start and the end (indentation of the first line kept).
    func trimmingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let f = lines.first, f.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeFirst() }
        while let l = lines.last, l.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
