import Foundation

/// A parse error in the filter language, with the offending term and its column (1-based).
public struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    public var term: String
    public var column: Int
    public var reason: String
    public var description: String { "filter term '\(term)' at column \(column): \(reason)" }
}

/// The filter language: `field:value[,value...]` terms and free words, all of which must match.
/// A leading `-` negates a term. Free words match ID, subject, customer, tags and the first message,
/// ignoring case and accents. The fields are `Field`'s cases (priority and the durations `age`,
/// `idle`, `waiting` also take `>=`, `>`, `<=`, `<`; a bare duration means at least that long).
public struct TicketFilter: Sendable, Equatable {
    enum Comparison: String, Sendable { case ge = ">=", gt = ">", le = "<=", lt = "<", eq = "=" }
    enum Assignee: Sendable, Equatable { case me, none, user(String) }
    struct PriorityBound: Sendable, Equatable {
        var comparison: Comparison
        var priority: Priority
    }
    /// `>3d`: a time span compared with a duration.
    struct DurationBound: Sendable, Equatable {
        var comparison: Comparison
        var millis: Millis

        func holds(_ span: Millis) -> Bool {
            switch comparison {
            case .ge: span >= millis
            case .gt: span > millis
            case .le: span <= millis
            case .lt: span < millis
            case .eq: span == millis
            }
        }
    }
    /// Equality synthesised: sets compare as sets (their printed order may differ).
    enum Condition: Sendable, Equatable {
        case channel(Set<Channel>)
        case status(Set<TicketStatus>)
        case assignee([Assignee])
        case department(Set<String>)
        case priority([PriorityBound])
        case sla(Set<SLAState>)
        case tag(Set<String>)
        case group(Set<String>)
        /// The customer's address, or `@domain` for any address there.
        case from(Set<String>)
        /// The intake queue the ticket came in by (`none`: none).
        case queue(Set<String>)
        /// Since created, since the last change, since the customer's oldest unanswered message.
        case age([DurationBound])
        case idle([DurationBound])
        case waiting([DurationBound])
        /// Whether the desk's business hours are on now.
        case hours(open: Bool)
        case text(String)
    }
    /// The `field:` words, in the order completion offers them; the compiler keeps parsing,
    /// completion and matching in step (the README's filter table is kept by hand).
    enum Field: String, CaseIterable, Sendable {
        case channel, status, assignee, dept, priority, sla, tag, group, from, queue, age, idle, waiting, hours
    }
    struct Term: Sendable, Equatable {
        var negated: Bool
        var condition: Condition
    }

    var terms: [Term]
    public let source: String

    public static let fields = Field.allCases.map(\.rawValue)
    static let aliases = ["department": "dept", "assigned": "assignee", "prio": "priority", "tags": "tag", "groups": "group"]

    /// The values a field takes, for completion (`status:` offers the statuses); empty for free ones.
    public static func values(of name: String, rules: DeskRules) -> [String] {
        guard let field = Field(rawValue: aliases[name] ?? name) else { return [] }
        switch field {
        case .channel: return Channel.allCases.map(\.rawValue)
        case .status: return TicketStatus.allCases.map(\.rawValue)
        case .assignee: return ["me", "none"] + rules.agents.filter { $0.may(.reply) }.map(\.user)
        case .dept: return rules.departments.map(\.name)
        case .priority: return Priority.allCases.map(\.name)
        case .sla: return SLAState.allCases.map(\.rawValue)
        case .group: return rules.contactGroups.map(\.name)
        case .tag: return []  // free: any tag
        case .from: return ["@"]  // an address, or @ and a domain
        case .queue: return rules.intake.queues.keys.sorted() + ["none"]
        case .age, .idle, .waiting: return [">1h", ">1d", "<30m"]
        case .hours: return ["open", "closed"]
        }
    }

    public static let empty = TicketFilter(terms: [], source: "")
    public var isEmpty: Bool { terms.isEmpty }

    /// Whether the filter says `assignee:me` (a rule has no "me").
    public var namesMe: Bool { terms.contains { if case .assignee(let list) = $0.condition { list.contains(.me) } else { false } } }

    /// Whether the filter names statuses itself (then the working-queue default does not apply).
    public var namesStatus: Bool { terms.contains { if case .status = $0.condition { return true } else { return false } } }

    init(terms: [Term], source: String) {
        self.terms = terms
        self.source = source
    }

    public static func parse(_ text: String) throws(FilterError) -> TicketFilter {
        var terms: [Term] = []
        for (word, column) in tokenize(text) {
            var w = word
            var negated = false
            if w.hasPrefix("-") && w.count > 1 { negated = true; w.removeFirst() }
            let fail = { (why: String) in FilterError(term: word, column: column, reason: why) }
            guard let colon = w.firstIndex(of: ":"), !w.hasPrefix("\"") else {
                let folded = fold(w.replacingOccurrences(of: "\"", with: ""))
                if !folded.isEmpty { terms.append(Term(negated: negated, condition: .text(folded))) }
                continue
            }
            let rawField = w[..<colon].lowercased()
            let value = String(w[w.index(after: colon)...])
            guard let field = Field(rawValue: aliases[rawField] ?? rawField) else {
                let hint = fields.first { $0.hasPrefix(String(rawField.prefix(2))) }.map { " (did you mean \($0)?)" } ?? ""
                throw fail("unknown field '\(rawField)'\(hint); fields are \(fields.joined(separator: ", "))")
            }
            let values = value.lowercased().split(separator: ",").map(String.init).filter { !$0.isEmpty }
            guard !values.isEmpty else { throw fail("\(field.rawValue) needs a value") }
            func each<T>(_ valid: [String], _ make: (String) -> T?) throws(FilterError) -> [T] {
                var out: [T] = []
                for v in values {
                    guard let x = make(v) else { throw fail("unknown \(field.rawValue) '\(v)'; one of \(valid.joined(separator: ", "))") }
                    out.append(x)
                }
                return out
            }
            let condition: Condition
            switch field {
            case .channel:
                condition = .channel(Set(try each(Channel.allCases.map(\.rawValue)) { Channel(rawValue: $0) }))
            case .status:
                condition = .status(Set(try each(TicketStatus.allCases.map(\.rawValue)) { TicketStatus(rawValue: $0) }))
            case .assignee:
                condition = .assignee(values.map { $0 == "me" ? .me : ($0 == "none" || $0 == "nobody") ? .none : .user($0) })
            case .dept:
                condition = .department(Set(values))
            case .priority:
                condition = .priority(try each(Priority.allCases.map(\.name)) { v -> PriorityBound? in
                    for op in [Comparison.ge, .le, .gt, .lt, .eq] where v.hasPrefix(op.rawValue) {
                        return Priority(name: String(v.dropFirst(op.rawValue.count))).map { PriorityBound(comparison: op, priority: $0) }
                    }
                    return Priority(name: v).map { PriorityBound(comparison: .eq, priority: $0) }
                })
            case .sla:
                condition = .sla(Set(try each(SLAState.allCases.map(\.rawValue)) {
                    SLAState(rawValue: $0 == "risk" || $0 == "atrisk" ? "at-risk" : $0)
                }))
            case .tag:
                condition = .tag(Set(values))
            case .group:
                condition = .group(Set(values))
            case .from:
                if let odd = values.first(where: { !$0.contains("@") }) {
                    throw fail("from takes an address (ann@example.com) or @domain (@example.com), not '\(odd)'")
                }
                condition = .from(Set(values))
            case .queue:
                condition = .queue(Set(values))
            case .age, .idle, .waiting:
                // A zero is a bound too (`waiting:>0`: waiting at all).
                let span = { (w: String) -> Millis? in
                    WhenParser.duration(w) ?? (w.first == "0" && w.dropFirst().allSatisfy { $0 == "0" || "smhdw".contains($0) } && w.filter({ "smhdw".contains($0) }).count <= 1 ? 0 : nil)
                }
                let bounds = try each([">3d", ">=2h", "<30m"]) { v -> DurationBound? in
                    for op in [Comparison.ge, .le, .gt, .lt, .eq] where v.hasPrefix(op.rawValue) {
                        return span(String(v.dropFirst(op.rawValue.count))).map { DurationBound(comparison: op, millis: $0) }
                    }
                    return span(v).map { DurationBound(comparison: .ge, millis: $0) }
                }
                condition = field == .age ? .age(bounds) : field == .idle ? .idle(bounds) : .waiting(bounds)
            case .hours:
                guard values.count == 1, let open = ["open": true, "closed": false][values[0]] else {
                    throw fail("hours is open or closed (the desk's business hours now)")
                }
                condition = .hours(open: open)
            }
            terms.append(Term(negated: negated, condition: condition))
        }
        return TicketFilter(terms: terms, source: text)
    }

    /// Splits on white space, keeping "quoted phrases" whole; returns each word with its column.
    static func tokenize(_ text: String) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var current = ""
        var start = 0
        var quoted = false
        for (i, ch) in text.enumerated() {
            if ch == "\"" { quoted.toggle() }
            if ch.isWhitespace && !quoted {
                if !current.isEmpty { out.append((current, start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = i }
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append((current, start + 1)) }
        return out
    }

    /// Lower case without accents, so `berzins` finds `Bērziņš`.
    public static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// True when every ticket this filter admits is also admitted by `old`: the same terms, the last
    /// free word only longer, and more terms added (none naming statuses, which lift the
    /// working-queue default). Then a list can be narrowed instead of rescanned.
    public func narrows(_ old: TicketFilter) -> Bool {
        guard terms.count >= old.terms.count, namesStatus == old.namesStatus else { return false }
        for (i, o) in old.terms.enumerated() {
            let n = terms[i]
            if n == o { continue }
            guard i == old.terms.count - 1, !o.negated, !n.negated,
                  case .text(let ot) = o.condition, case .text(let nt) = n.condition, nt.contains(ot) else { return false }
        }
        return true
    }

    public func matches(_ t: Ticket, in ctx: ViewContext) -> Bool {
        for term in terms where term.condition.holds(for: t, ctx) == term.negated { return false }
        return true
    }
}

extension TicketFilter {
    /// The next moment after `ctx.now` at which this filter's verdict on the ticket may change with
    /// no event (time passing: an age reached, an SLA turning, the desk opening); nil when only an
    /// event can change it. A runner need not look at the ticket again before then.
    public func nextChange(for t: Ticket, _ ctx: ViewContext) -> Instant? {
        var next: Instant?
        for term in terms {
            if let at = term.condition.nextChange(for: t, ctx), next.map({ at < $0 }) ?? true { next = at }
        }
        return next
    }
}

extension TicketFilter.Condition {
    func nextChange(for t: Ticket, _ ctx: ViewContext) -> Instant? {
        let now = ctx.now
        /// The first of the bounds' thresholds (`since` + the duration, just past it for `>`) still ahead.
        func crossing(_ bounds: [TicketFilter.DurationBound], since: Instant?) -> Instant? {
            guard let since else { return nil }
            return bounds.map { since + $0.millis + ($0.comparison == .gt || $0.comparison == .le ? 1 : 0) }.filter { $0 > now }.min()
        }
        switch self {
        case .channel, .assignee, .department, .priority, .tag, .group, .from, .queue, .text: return nil
        case .status: return t.statusChange(after: now, autoCloseAfter: ctx.rules.autoCloseAfter)
        case .sla: return ctx.slaBook.plan(t).nextChange(after: now)
        case .age(let b): return crossing(b, since: t.createdAt)
        case .idle(let b): return crossing(b, since: t.updatedAt)
        case .waiting(let b): return crossing(b, since: t.waitingSince)
        case .hours: return ctx.rules.calendar.nextChange(after: now)
        }
    }
}

extension TicketFilter.Condition {
    func holds(for t: Ticket, _ ctx: ViewContext) -> Bool {
        switch self {
        case .channel(let s): return s.contains(t.channel)
        case .status(let s): return s.contains(ctx.status(t))
        case .assignee(let list):
            return list.contains { a in
                switch a {
                case .me: return t.assignee == ctx.me
                case .none: return t.assignee == nil
                case .user(let u): return t.assignee?.lowercased() == u
                }
            }
        case .department(let s): return t.department.map { s.contains($0.lowercased()) } ?? s.contains("none")
        case .priority(let list):
            return list.contains { bound in
                let p = bound.priority
                return switch bound.comparison {
                case .ge: t.priority >= p
                case .gt: t.priority > p
                case .le: t.priority <= p
                case .lt: t.priority < p
                case .eq: t.priority == p
                }
            }
        case .sla(let s): return s.contains(ctx.sla(t).state)
        case .tag(let s): return t.tags.contains(where: s.contains)
        case .group(let s): return t.customer.groups.contains(where: s.contains)
        case .from(let s):
            guard let address = t.customer.email?.lowercased() else { return false }
            return s.contains { $0.hasPrefix("@") ? address.hasSuffix($0) : address == $0 }
        case .queue(let s): return t.queue.map { s.contains($0.lowercased()) } ?? s.contains("none")
        case .age(let b): return b.contains { $0.holds(ctx.now - t.createdAt) }
        case .idle(let b): return b.contains { $0.holds(ctx.now - t.updatedAt) }
        case .waiting(let b): return t.waitingSince.map { since in b.contains { $0.holds(ctx.now - since) } } ?? false
        case .hours(let open): return ctx.rules.calendar.isOpen(at: ctx.now) == open
        case .text(let w): return ctx.searchText(t).containsUTF8(w)
        }
    }
}

extension String {
    /// Substring search on UTF-8 bytes. Both sides are already folded, so Foundation's
    /// locale-aware search (which folds again) is not needed; this is many times faster.
    func containsUTF8(_ needle: String) -> Bool {
        var hay = self, pin = needle
        return hay.withUTF8 { h in
            pin.withUTF8 { n in
                guard !n.isEmpty else { return true }
                guard h.count >= n.count else { return false }
                let first = n[0]
                var i = 0
                let last = h.count - n.count
                outer: while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count {
                            if h[i + j] != n[j] { i += 1; continue outer }
                            j += 1
                        }
                        return true
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
