import Foundation
import QueueDeckDomain
import Yams

/// Turns configuration sections into `DeskRules`, collecting every mistake with its place.
struct RulesBuilder {
    let sections: [String: Located]
    var errors: [ConfigError] = []

    init(sections: [String: Located]) { self.sections = sections }

    mutating func fail(_ n: Node?, _ file: String, _ msg: String) {
        errors.append(ConfigError(file: file, line: n?.mark?.line ?? 0, column: n?.mark?.column ?? 0, message: msg))
    }

    mutating func build() -> DeskRules {
        var r = DeskRules()
        if let s = sections["departments"] { r.departments = departments(s) }
        if let s = sections["roles"] { r.roles += customRoles(s) }
        if let s = sections["agents"] { r.agents = agents(s, roles: r.roles, departments: r.departments) }
        if let s = sections["contact_groups"] { r.contactGroups = groups(s) }
        if let s = sections["unknown_users"] {
            let name = s.node.string ?? ""
            if name == "none" { r.unknownUserRole = nil }
            else if let role = r.role(named: name) { r.unknownUserRole = role }
            else { fail(s.node, s.file, "unknown_users: no role '\(name)'; use none or one of \(r.roles.map(\.name).joined(separator: ", "))") }
        }
        if let s = sections["auto_close_after"], let d = duration(s.node, s.file, "auto_close_after") { r.autoCloseAfter = d }
        r.calendar = calendar()
        if let s = sections["sla"] { r.sla = sla(s, rules: r) }
        if let s = sections["canned_responses"] { r.cannedResponses = canned(s) }
        if let s = sections["wall"] { r.thresholds = wall(s) }
        if let s = sections["intake"] { r.intake = intake(s, departments: r.departments) }
        r.automation = automation(r)
        // Where the desk's journal is, for hosts that are not told otherwise (ConfigLoader.journal).
        if let s = sections["journal"] {
            if case .scalar(let v) = s.node, !v.string.isEmpty {} else {
                fail(s.node, s.file, "journal must be a journal file's path or a postgresql:// address")
            }
        }
        return r
    }

    // MARK: Sections

    mutating func departments(_ s: Located) -> [Department] {
        var out: [Department] = []
        for item in list(s) {
            guard let m = mapping(item, s.file, "department", keys: ["name", "tier"]) else { continue }
            guard let name = m["name"]?.string, !name.isEmpty else { fail(item, s.file, "department needs a name"); continue }
            var tier = 1
            if let t = m["tier"] {
                if let v = t.int, (1...3).contains(v) { tier = v } else { fail(t, s.file, "tier must be 1, 2 or 3") }
            }
            if out.contains(where: { $0.name == name }) { fail(item, s.file, "department '\(name)' is listed twice") }
            out.append(Department(name: name, tier: tier))
        }
        return out
    }

    mutating func customRoles(_ s: Located) -> [Role] {
        guard case .mapping(let m) = s.node else { fail(s.node, s.file, "roles must map a role name to a list of permissions"); return [] }
        var out: [Role] = []
        for (k, v) in m {
            let name = k.string ?? ""
            if Role.builtIn.contains(where: { $0.name == name }) {
                fail(k, s.file, "role '\(name)' is built in and cannot be redefined")
                continue
            }
            var perms = Set<Permission>()
            for p in list(Located(node: v, file: s.file)) {
                if let perm = Permission(rawValue: p.string ?? "") { perms.insert(perm) } else {
                    fail(p, s.file, "unknown permission '\(p.string ?? "")'; known: \(Permission.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            out.append(Role(name: name, permissions: perms))
        }
        return out
    }

    mutating func agents(_ s: Located, roles: [Role], departments: [Department]) -> [Agent] {
        var out: [Agent] = []
        for item in list(s) {
            guard let m = mapping(item, s.file, "agent", keys: ["user", "name", "role", "departments", "phone"]) else { continue }
            guard let user = m["user"]?.string, !user.isEmpty else { fail(item, s.file, "agent needs a user (the OS login)"); continue }
            let roleName = m["role"]?.string ?? "agent"
            guard let role = roles.first(where: { $0.name == roleName }) else {
                fail(m["role"] ?? item, s.file, "agent \(user): unknown role '\(roleName)'; roles are \(roles.map(\.name).joined(separator: ", "))")
                continue
            }
            var depts: [String] = []
            if let d = m["departments"] {
                for dn in list(Located(node: d, file: s.file)) {
                    let n = dn.string ?? ""
                    if departments.contains(where: { $0.name == n }) { depts.append(n) } else {
                        fail(dn, s.file, "agent \(user): unknown department '\(n)'")
                    }
                }
            }
            if out.contains(where: { $0.user == user }) { fail(item, s.file, "agent '\(user)' is listed twice") }
            let phone = m["phone"].map { list(Located(node: $0, file: s.file)).compactMap(\.string) } ?? []
            for p in phone where out.contains(where: { $0.phone.contains(p) }) {
                fail(m["phone"], s.file, "agent \(user): phone name '\(p)' is already another agent's")
            }
            out.append(Agent(user: user, name: m["name"]?.string ?? user, role: role, departments: depts, phone: phone))
        }
        return out
    }

    mutating func groups(_ s: Located) -> [ContactGroup] {
        var out: [ContactGroup] = []
        for item in list(s) {
            guard let m = mapping(item, s.file, "contact group", keys: ["name", "value"]) else { continue }
            guard let name = m["name"]?.string, !name.isEmpty else { fail(item, s.file, "contact group needs a name"); continue }
            let value = m["value"].flatMap { $0.int } ?? 0
            out.append(ContactGroup(name: name.lowercased(), value: value))
        }
        return out
    }

    mutating func canned(_ s: Located) -> [CannedResponse] {
        var out: [CannedResponse] = []
        for item in list(s) {
            guard let m = mapping(item, s.file, "canned response", keys: ["name", "text"]) else { continue }
            guard let name = m["name"]?.string, !name.isEmpty, !name.contains(" ") else {
                fail(item, s.file, "a canned response needs a one-word name"); continue
            }
            guard let text = m["text"]?.string, !text.isEmpty else { fail(item, s.file, "canned response \(name) has no text"); continue }
            out.append(CannedResponse(name: name, text: text))
        }
        return out
    }

    /// `intake: { address, send_replies, max_attachment_mb, queues: { QUEUE: DEPARTMENT } }`.
    mutating func intake(_ s: Located, departments: [Department]) -> IntakeSettings {
        var out = IntakeSettings()
        guard let m = mapping(s.node, s.file, "intake", keys: ["address", "send_replies", "queues", "max_attachment_mb"]) else { return out }
        if let a = m["address"] {
            if let text = a.string, text.contains("@") { out.address = text } else { fail(a, s.file, "intake.address must be an email address, e.g. \"Support <support@example.com>\"") }
        }
        if let b = m["send_replies"] {
            if let v = b.bool { out.sendReplies = v } else { fail(b, s.file, "intake.send_replies must be true or false") }
        }
        if let n = m["max_attachment_mb"] {
            if let v = n.int, (0...2048).contains(v) { out.maxAttachmentBytes = Int64(v) * 1_000_000 }
            else { fail(n, s.file, "intake.max_attachment_mb must be a whole number of megabytes from 0 to 2048") }
        }
        if let q = m["queues"], case .mapping(let pairs) = q {
            for (k, v) in pairs {
                let dept = v.string ?? ""
                guard let d = departments.first(where: { $0.name.lowercased() == dept.lowercased() }) else {
                    fail(v, s.file, "intake.queues.\(k.string ?? ""): unknown department '\(dept)'"); continue
                }
                out.queues[(k.string ?? "").lowercased()] = d.name
            }
        } else if let q = m["queues"] {
            fail(q, s.file, "intake.queues must map queue names to departments")
        }
        return out
    }

    /// `wall: { thresholds: { METRIC: { amber: N, red: N } } }`; a metric left out keeps its default.
    mutating func wall(_ s: Located) -> BoardThresholds {
        var out = BoardThresholds()
        guard let m = mapping(s.node, s.file, "wall", keys: ["thresholds"]), let t = m["thresholds"] else { return out }
        let names = BoardMetric.allCases.map(\.rawValue)
        guard let metrics = mapping(t, s.file, "wall.thresholds", keys: names) else { return out }
        for (name, node) in metrics {
            let metric = BoardMetric(rawValue: name)!
            guard let lim = mapping(node, s.file, "wall.thresholds.\(name)", keys: ["amber", "red"]) else { continue }
            var limit = out.limits[metric]!
            for (key, v) in lim {
                let field = "wall.thresholds.\(name).\(key)"
                let value: Double?
                if metric.isDuration {
                    value = duration(v, s.file, field).map { Double($0) / 1000 }
                } else {
                    value = Double((v.string ?? "").replacingOccurrences(of: "%", with: ""))
                    if value == nil || value! < 0 { fail(v, s.file, "\(field) '\(v.string ?? "")' must be a number of 0 or more") }
                }
                guard let value else { continue }
                if key == "amber" { limit.amber = value } else { limit.red = value }
            }
            let ordered = metric.lowerIsWorse ? limit.red <= limit.amber : limit.amber <= limit.red
            if !ordered {
                fail(node, s.file, "wall.thresholds.\(name): red must be \(metric.lowerIsWorse ? "at or below" : "at or above") amber (\(metric.lowerIsWorse ? "lower" : "higher") is worse)")
            }
            out.limits[metric] = limit
        }
        return out
    }

    mutating func calendar() -> BusinessCalendar {
        var tz = TimeZone(identifier: "UTC")!
        if let s = sections["timezone"] {
            if let name = s.node.string, let z = TimeZone(identifier: name) { tz = z } else {
                fail(s.node, s.file, "unknown time zone '\(s.node.string ?? "")' (use an IANA name such as Europe/Riga or UTC)")
            }
        }
        var week = BusinessCalendar.alwaysOpen.week
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        if let s = sections["business_hours"] {
            if case .mapping(let m) = s.node {
                week = Array(repeating: [], count: 7)
                for (k, v) in m {
                    guard let i = days.firstIndex(of: (k.string ?? "").lowercased()) else {
                        fail(k, s.file, "unknown day '\(k.string ?? "")'; days are \(days.joined(separator: ", "))")
                        continue
                    }
                    if let ranges = hours(v.string ?? "") { week[i] = ranges } else {
                        fail(v, s.file, "hours '\(v.string ?? "")': expected HH:MM-HH:MM (several separated by commas) or closed")
                    }
                }
            } else {
                fail(s.node, s.file, "business_hours must map days (mon...sun) to hours")
            }
        }
        var holidays = Set<Int>()
        if let s = sections["holidays"] {
            for h in list(s) {
                if let d = CivilDate(iso: Substring(h.string ?? "")) { holidays.insert(d.dayNumber) } else {
                    fail(h, s.file, "holiday '\(h.string ?? "")' is not a date like 2026-12-25")
                }
            }
        }
        return BusinessCalendar(timeZone: tz, week: week, holidays: holidays)
    }

    func hours(_ text: String) -> [MinuteRange]? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "closed" || t.isEmpty { return [] }
        if t == "24h" || t == "00:00-24:00" { return [MinuteRange(start: 0, end: 1440)] }
        var out: [MinuteRange] = []
        for part in t.split(separator: ",") {
            let ends = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let a = minute(ends[0]), let b = minute(ends[1]), a < b else { return nil }
            if let last = out.last, last.end > a { return nil }
            out.append(MinuteRange(start: a, end: b))
        }
        return out
    }

    func minute(_ s: String) -> Int? {
        let p = s.split(separator: ":")
        guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    mutating func sla(_ s: Located, rules: DeskRules) -> SLAPolicy {
        var policy = SLAPolicy()
        guard let m = mapping(s.node, s.file, "sla", keys: ["at_risk", "default", "rules"]) else { return policy }
        if let r = m["at_risk"] {
            let text = (r.string ?? "").replacingOccurrences(of: "%", with: "")
            if let v = Double(text), v > 0, v < 100 { policy.atRiskFraction = v / 100 } else {
                fail(r, s.file, "at_risk '\(r.string ?? "")' must be a percentage between 0 and 100, like 25%")
            }
        }
        if let d = m["default"] { policy.fallback = targets(d, s.file, allowed: ["first_response", "next_response", "resolution"]) ?? SLATargets() }
        if let rs = m["rules"] {
            let keys = ["name", "priority", "department", "group", "channel", "first_response", "next_response", "resolution"]
            for item in list(Located(node: rs, file: s.file)) {
                guard let rm = mapping(item, s.file, "sla rule", keys: keys) else { continue }
                var rule = SLARule(name: rm["name"]?.string ?? "rule", targets: targets(item, s.file, allowed: keys) ?? SLATargets())
                if let p = rm["priority"] {
                    if let v = Priority(name: p.string ?? "") { rule.priority = v } else {
                        fail(p, s.file, "unknown priority '\(p.string ?? "")'; one of low, normal, high, urgent")
                    }
                }
                if let d = rm["department"] {
                    if let dept = rules.department(named: d.string ?? "") { rule.department = dept.name } else {
                        fail(d, s.file, "unknown department '\(d.string ?? "")'")
                    }
                }
                if let g = rm["group"] {
                    let name = (g.string ?? "").lowercased()
                    if rules.contactGroups.contains(where: { $0.name == name }) { rule.group = name } else {
                        fail(g, s.file, "unknown contact group '\(name)'")
                    }
                }
                if let c = rm["channel"] {
                    if let ch = Channel(rawValue: c.string ?? "") { rule.channel = ch } else {
                        fail(c, s.file, "unknown channel '\(c.string ?? "")'; one of email, call, chat")
                    }
                }
                policy.rules.append(rule)
            }
        }
        return policy
    }

    mutating func targets(_ n: Node, _ file: String, allowed: [String]) -> SLATargets? {
        guard let m = mapping(n, file, "SLA targets", keys: allowed) else { return nil }
        var t = SLATargets()
        if let v = m["first_response"] { t.firstResponse = duration(v, file, "first_response") }
        if let v = m["next_response"] { t.nextResponse = duration(v, file, "next_response") }
        if let v = m["resolution"] { t.resolution = duration(v, file, "resolution") }
        return t
    }

    // MARK: Helpers

    mutating func duration(_ n: Node, _ file: String, _ field: String) -> Millis? {
        if let d = WhenParser.duration((n.string ?? "").lowercased()) { return d }
        fail(n, file, "\(field) '\(n.string ?? "")' is not a duration like 30m, 8h, 1h30m or 2d")
        return nil
    }

    mutating func list(_ s: Located) -> [Node] {
        if case .sequence(let seq) = s.node { return Array(seq) }
        fail(s.node, s.file, "expected a list")
        return []
    }

    /// The node as a string-keyed mapping; unknown keys are reported.
    mutating func mapping(_ n: Node, _ file: String, _ what: String, keys: [String]) -> [String: Node]? {
        guard case .mapping(let m) = n else { fail(n, file, "\(what) must be a mapping"); return nil }
        var out: [String: Node] = [:]
        for (k, v) in m {
            let key = k.string ?? ""
            if keys.contains(key) { out[key] = v } else {
                fail(k, file, "unknown key '\(key)' in \(what); keys are \(keys.joined(separator: ", "))")
            }
        }
        return out
    }
}
