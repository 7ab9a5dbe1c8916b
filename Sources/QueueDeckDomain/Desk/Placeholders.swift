/// Placeholders in canned responses and replies, filled per ticket when the text is used: a reply
/// sent to several marked tickets greets each customer by name. Unknown names stay as written;
/// quoted lines (`> …`, the customer's own words) are never filled.
public enum Placeholders {
    /// The names and what they stand for, for help texts and the README.
    public static let names: [(String, String)] = [
        ("{customer}", "the customer's name"),
        ("{first_name}", "the customer's first name"),
        ("{ticket}", "the ticket ID"),
        ("{subject}", "the ticket's subject"),
        ("{agent}", "your name"),
        ("{agent_first_name}", "your first name"),
    ]

    /// The `{words}` in a text that are no placeholder (`{agnet}`, `{Ticket}`): left as written by
    /// `fill`, so a rule's automatic reply would send them to the customer.
    public static func unknown(in text: String) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix(">") {
            var rest = line[...]
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let word = String(rest[open...close])
                let inner = word.dropFirst().dropLast()
                if !inner.isEmpty, inner.allSatisfy({ $0.isLetter || $0 == "_" }), !names.contains(where: { $0.0 == word }), !out.contains(word) { out.append(word) }
                rest = rest[rest.index(after: open)...]
            }
        }
        return out
    }

    public static func fill(_ text: String, ticket t: Ticket, agent: Agent) -> String {
        guard text.contains("{") else { return text }
        let first = { (name: String) in name.split(separator: " ").first.map(String.init) ?? name }
        let values: [String: String] = [
            "{customer}": t.customer.name,
            "{first_name}": first(t.customer.name),
            "{ticket}": t.id.description,
            "{subject}": t.subject,
            "{agent}": agent.name,
            "{agent_first_name}": first(agent.name),
        ]
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix(">") { return String(line) }
            var out = String(line)
            for (k, v) in values where out.contains(k) { out = out.replacing(k, with: v) }
            return out
        }.joined(separator: "\n")
    }
}
