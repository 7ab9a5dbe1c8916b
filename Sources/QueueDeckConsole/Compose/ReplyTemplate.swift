import Foundation
import QueueDeckDomain
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

    /// The names of the lines an email reply starts with, which the agent may edit.
    static let fieldNames = ["to", "cc", "attach"]

    /// The lines an email reply to one ticket ends with, just above the scissors line: who gets it
    /// (the customer, the ticket's Cc list) and an empty `Attach:` line for files.
    public static func recipientLines(_ t: Ticket) -> String {
        let to = t.customer.email.map { e in t.customer.name.isEmpty || t.customer.name == e ? e : "\(ScreenText.line(t.customer.name).replacingQuotes()) <\(e)>" } ?? ""
        return "To: \(ScreenText.line(to))\nCc: \(ScreenText.line(t.cc.joined(separator: ", ")))\nAttach: \n"
    }

    /// The edited reply's text and its `To:`, `Cc:` and `Attach:` lines (the lines it ends with,
    /// as the template puts them). Several `Attach:` lines give several files.
    public static func fields(of body: String) -> (fields: [(name: String, value: String)], text: String) {
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let l = lines.last, l.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        var fields: [(String, String)] = []
        while let last = lines.last, let colon = last.firstIndex(of: ":"), fieldNames.contains(last[..<colon].lowercased()) {
            fields.insert((last[..<colon].lowercased(), String(last[last.index(after: colon)...]).trimmingCharacters(in: .whitespaces)), at: 0)
            lines.removeLast()
        }
        return (fields, lines.joined(separator: "\n").trimmingBlankLines())
    }

    /// The whole file: `text` (a draft, or an empty reply with its quote), then the comment block.
    public static func file(text: String, kind: EditRequest.Kind, tickets: [Ticket], agent: Agent) -> String {
        var comment = [scissors]
        let what = kind == .reply ? "reply" : "internal note (the customer does not see it)"
        if tickets.count == 1, let t = tickets.first {
            let who = ScreenText.line(t.customer.name) + (t.customer.email.map { " <\(ScreenText.line($0))>" } ?? "")
            comment.append("# \(what) by \(agent.name) on \(t.id) (\(t.channel.rawValue)) for \(who)")
            comment.append("# Subject: \(ScreenText.line(t.subject))")
            if kind == .reply && t.channel == .email {
                comment.append("# To: and Cc: above say who gets it (comma-separated, one address each; Cc: empty for nobody).")
                comment.append("# Attach: a file's path; one Attach: line per file.")
            }
        } else {
            comment.append("# the same \(what) by \(agent.name) to \(tickets.count) tickets, each sent on its own:")
            for t in tickets.prefix(20) { comment.append("#   \(t.id) \(ScreenText.line(t.customer.name)): \(ScreenText.line(t.subject))") }
            if tickets.count > 20 { comment.append("#   … and \(tickets.count - 20) more") }
        }
        comment.append("# Placeholders filled for each ticket: " + Placeholders.names.map(\.0).joined(separator: " "))
        comment.append("# Everything from the scissors line down is removed before sending.")
        comment.append("# To send: save and quit. To cancel: quit without saving (:q! in vim), or save it empty.")
        comment.append("# Saved but not sent (the editor quit with an error, :cq in vim) stays a draft of this ticket.")
        var lines = ""
        if kind == .reply, tickets.count == 1, let t = tickets.first, t.channel == .email, fields(of: text).fields.isEmpty {
            lines = "\n" + recipientLines(t)
        }
        return text + (text.hasSuffix("\n") || text.isEmpty ? "" : "\n") + lines + "\n" + comment.joined(separator: "\n") + "\n"
    }

    /// What an edited file says: everything above the scissors line, without trailing blank lines
    /// or leading ones.
    public static func body(of file: String) -> String {
        var lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let cut = lines.firstIndex(where: { $0.trimmingTrailingWhitespace() == scissors }) { lines = Array(lines[..<cut]) }
        let text = lines.map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n")
        return text.trimmingBlankLines()
    }
}

extension String {
    func replacingQuotes() -> String { String(flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] }) }

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
