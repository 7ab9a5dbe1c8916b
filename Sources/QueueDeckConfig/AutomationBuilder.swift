import QueueDeckDomain
import Yams

/// The `rules:`, `distribution:` and `auto_reply_period:` sections (README: Automation).
extension RulesBuilder {
    mutating func automation(_ r: DeskRules) -> AutomationSettings {
        var out = AutomationSettings()
        if let s = sections["auto_reply_period"], let d = duration(s.node, s.file, "auto_reply_period") { out.autoReplyPeriod = d }
        if let s = sections["distribution"] { out.distribution = distribution(s, rules: r) }
        if let s = sections["rules"], s.node != Node("") { out.rules = automationRules(s, rules: r) }
        return out
    }

    mutating func automationRules(_ s: Located, rules r: DeskRules) -> [Rule] {
        var out: [Rule] = []
        for item in list(s) {
            guard let m = mapping(item, s.file, "rule", keys: ["name", "on", "if", "then", "stop"]) else { continue }
            guard let name = m["name"]?.string?.trimmingWhitespace(), !name.isEmpty else { fail(item, s.file, "a rule needs a name"); continue }
            guard name.count <= 60, !name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false || $0 == "(" || $0 == ")" }) else {
                fail(m["name"], s.file, "rule name '\(name.prefix(60))' must be one line of at most 60 characters without parentheses"); continue
            }
            if out.contains(where: { $0.name.lowercased() == name.lowercased() }) { fail(m["name"], s.file, "rule '\(name)' is listed twice") }
            let triggers = Rule.Trigger.allCases.map(\.rawValue).joined(separator: " | ")
            // Every part is checked even when one is wrong: all of a rule's mistakes at once.
            var on: Rule.Trigger?
            if let onNode = m["on"] {
                on = Rule.Trigger(rawValue: onNode.string ?? "")
                if on == nil { fail(onNode, s.file, "rule '\(name)': unknown on: '\(onNode.string ?? "")'; one of \(triggers)") }
            } else {
                fail(item, s.file, "rule '\(name)' needs on: (\(triggers))")
            }
            var condition = TicketFilter.empty
            if on == .time, (m["if"]?.string ?? "").trimmingWhitespace().isEmpty {
                fail(m["if"] ?? item, s.file, "rule '\(name)': a time rule needs an if: (without one it acts on every open ticket); say which tickets, e.g. if: \"status:new,open\"")
            }
            if let c = m["if"] {
                do throws(FilterError) {
                    condition = try TicketFilter.parse(c.string ?? "")
                } catch {
                    // The filter's column, counted from where the text starts in the file.
                    let quoted: Bool = if case .scalar(let sc) = c { sc.style == .singleQuoted || sc.style == .doubleQuoted } else { false }
                    errors.append(ConfigError(file: s.file, line: c.mark?.line ?? 0, column: (c.mark?.column ?? 1) + (quoted ? 1 : 0) + error.column - 1,
                                              message: "rule '\(name)': \(error)"))
                }
            }
            if condition.namesMe, let c = m["if"] {
                fail(c, s.file, "rule '\(name)': assignee:me means nobody in a rule (a rule is no one); name the agent, or use assignee:none")
            }
            var actions: [RuleAction]?
            if let thenNode = m["then"] {
                actions = ruleActions(thenNode, s.file, rule: name, rules: r)
                if actions?.isEmpty == true { fail(thenNode, s.file, "rule '\(name)': then: does nothing") }
            } else {
                fail(item, s.file, "rule '\(name)' needs then: (what it does)")
            }
            var stop = false
            if let st = m["stop"] {
                if let v = st.bool { stop = v } else { fail(st, s.file, "rule '\(name)': stop must be true or false") }
            }
            // Built only when whole: the errors above stop the file anyway.
            if let on, let actions, !actions.isEmpty { out.append(Rule(name: name, on: on, condition: condition, actions: actions, stop: stop)) }
        }
        return out
    }

    mutating func ruleActions(_ n: Node, _ file: String, rule: String, rules r: DeskRules) -> [RuleAction]? {
        guard let m = mapping(n, file, "rule '\(rule)' then:", keys: RuleAction.Kind.allCases.map(\.rawValue)) else { return nil }
        var out: [RuleAction] = []
        let before = errors.count
        for (key, v) in m {
            let kind = RuleAction.Kind(rawValue: key)!
            let text = v.string?.trimmingWhitespace() ?? ""
            let at = "rule '\(rule)': \(key)"
            switch kind {
            case .department:
                if let d = r.department(named: text) { out.append(.department(d.name)) } else {
                    fail(v, file, "\(at): unknown department '\(text)'; departments are \(r.departments.map(\.name).joined(separator: ", "))")
                }
            case .assignee:
                switch text.lowercased() {
                case "none", "nobody": out.append(.assignee(.nobody))
                case "distribute": out.append(.assignee(.distribute))
                default:
                    if let a = r.agent(user: text), a.may(.reply) { out.append(.assignee(.agent(a.user))) } else {
                        fail(v, file, "\(at): '\(text)' is not an agent of the roster who works tickets; use a user, none or distribute")
                    }
                }
            case .priority:
                if let p = Priority(name: text.lowercased()) { out.append(.priority(p)) } else {
                    fail(v, file, "\(at): unknown priority '\(text)'; one of \(Priority.allCases.map(\.name).joined(separator: ", "))")
                }
            case .tags:
                let words: [Node] = if case .sequence(let seq) = v { Array(seq) } else { [v] }
                var add: [String] = [], remove: [String] = []
                for w in words {
                    for raw in (w.string ?? "").split(whereSeparator: { $0 == " " }) {
                        var tag = raw.lowercased()
                        let removing = tag.hasPrefix("-")
                        if tag.hasPrefix("+") || tag.hasPrefix("-") { tag.removeFirst() }
                        guard !tag.isEmpty, !tag.contains(where: { $0 == "," || $0 == ":" || $0 == "+" }) else {
                            fail(w, file, "\(at): '\(raw)' is not a tag (+word adds, -word removes)"); continue
                        }
                        if removing { remove.append(tag) } else { add.append(tag) }
                    }
                }
                if !add.isEmpty || !remove.isEmpty { out.append(.tags(add: add, remove: remove)) }
            case .note:
                if text.isEmpty { fail(v, file, "\(at): the note has no text") } else { out.append(.note(v.string ?? "")) }
            case .reply:
                if let c = r.canned(named: text) {
                    // Sent with nobody reading it first: a misspelt placeholder would reach the customer.
                    let unknown = Placeholders.unknown(in: c.text)
                    if unknown.isEmpty { out.append(.reply(canned: c.name)) } else {
                        fail(v, file, "\(at): the canned response '\(c.name)' has \(unknown.joined(separator: ", ")), which \(unknown.count == 1 ? "is no placeholder" : "are no placeholders"); placeholders are \(Placeholders.names.map(\.0).joined(separator: ", "))")
                    }
                } else {
                    fail(v, file, "\(at): no canned response '\(text)'; canned responses are \(r.cannedResponses.map(\.name).joined(separator: ", "))")
                }
            case .postpone:
                if let d = duration(v, file, "\(at)") {
                    if d > 0 && d <= Commands.longestPostponement { out.append(.postpone(d)) } else { fail(v, file, "\(at): postpone between 1m and 365d") }
                }
            case .resolve:
                if let b = v.bool { if b { out.append(.resolve) } } else { fail(v, file, "\(at) must be true or false") }
            case .notify:
                let words: [Node] = if case .sequence(let seq) = v { Array(seq) } else { [v] }
                var targets: [NotifyTarget] = []
                for w in words {
                    if let t = NotifyTarget(rawValue: w.string ?? "") { targets.append(t) } else {
                        fail(w, file, "\(at): unknown '\(w.string ?? "")'; one of \(NotifyTarget.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
                if !targets.isEmpty { out.append(.notify(targets)) }
            }
        }
        if out.contains(where: { $0 == .resolve }) && out.contains(where: { $0.kind == .postpone }) {
            fail(n, file, "rule '\(rule)': postpone and resolve together: choose one")
        }
        return errors.count == before ? out : nil
    }

    /// `distribution: { DEPARTMENT: { mode: round-robin | least-loaded, capacity: { email: 20, chat: 3, call: 1 } } }`.
    mutating func distribution(_ s: Located, rules r: DeskRules) -> [String: Distribution] {
        guard case .mapping(let m) = s.node else { fail(s.node, s.file, "distribution must map departments to { mode, capacity }"); return [:] }
        var out: [String: Distribution] = [:]
        for (k, v) in m {
            let name = k.string ?? ""
            guard let dept = r.department(named: name) else {
                fail(k, s.file, "distribution: unknown department '\(name)'; departments are \(r.departments.map(\.name).joined(separator: ", "))"); continue
            }
            guard let dm = mapping(v, s.file, "distribution.\(name)", keys: ["mode", "capacity"]) else { continue }
            var d = Distribution()
            if let mode = dm["mode"] {
                if let md = Distribution.Mode(rawValue: mode.string ?? "") { d.mode = md } else {
                    fail(mode, s.file, "distribution.\(name).mode: '\(mode.string ?? "")'; one of \(Distribution.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if let cap = dm["capacity"], let cm = mapping(cap, s.file, "distribution.\(name).capacity", keys: Channel.allCases.map(\.rawValue)) {
                for (channel, nv) in cm {
                    if let n = nv.int, (0...10_000).contains(n) { d.capacity[Channel(rawValue: channel)!] = n } else {
                        fail(nv, s.file, "distribution.\(name).capacity.\(channel) must be a whole number from 0 to 10000")
                    }
                }
            }
            out[dept.name] = d
        }
        return out
    }
}
