import Foundation
import Testing
@testable import QueueDeckDomain

/// A small desk with one ticket per interesting property, for filters and orderings.
struct SampleDesk {
    var desk = TestDesk(sla: SLAPolicy(
        rules: [SLARule(name: "chat", channel: .chat, targets: SLATargets(firstResponse: .minutes(10), nextResponse: .minutes(10), resolution: .hours(8)))],
        fallback: SLATargets(firstResponse: .hours(4), nextResponse: .hours(4), resolution: .hours(24))))
    var ids: [String: TicketID] = [:]
    let now = TestDesk.at(12)

    init() {
        let vip = Customer(name: "Γιώργος Παπαδόπουλος", email: "g@otenet.gr", groups: ["vip", "paying"])
        let paying = Customer(name: "Emma Thompson", email: "emma@example.com", groups: ["paying"])
        ids["oldEmail"] = desk.create(.email, at: TestDesk.at(6), subject: "Rēķins par novembri", body: "Labdien! Neesmu saņēmusi rēķinu.", department: "billing", tags: ["invoice"], queue: "Support")
        ids["vipCall"] = desk.create(.call, at: TestDesk.at(9, 30), subject: "Call: payment", body: "card declined", priority: .high, customer: vip, queue: "sales")
        ids["chat"] = desk.create(.chat, at: TestDesk.at(11, 45), subject: "Cannot log in", body: "password", priority: .urgent, department: "technical", customer: paying, tags: ["login"])
        ids["answered"] = desk.create(.email, at: TestDesk.at(7), subject: "Where is my order?", body: "Order 48213 was due Monday and tracking has not moved since Friday at all.", priority: .low, customer: paying)
        ids["resolved"] = desk.create(.email, at: TestDesk.at(5), subject: "Cancel account", body: "please")
        try! desk.run(.claim(ids["vipCall"]!), at: TestDesk.at(9, 35), as: "anna")
        try! desk.run(.reply(ids["answered"]!, body: "shipped"), at: TestDesk.at(8), as: "bob")
        try! desk.run(.claim(ids["answered"]!), at: TestDesk.at(8), as: "bob")
        try! desk.run(.resolve(ids["resolved"]!), at: TestDesk.at(6), as: "bob")
    }

    func context(me: String = "anna") -> ViewContext { ViewContext(now: now, me: me, rules: desk.rules) }

    func names(_ query: String, order: QueueOrder = .fifo, all: Bool = false, me: String = "anna") throws -> [String] {
        let f = try TicketFilter.parse(query)
        let byID = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })
        return QueueView.tickets(desk.state, filter: f, order: order, all: all, context: context(me: me)).map { byID[$0.id]! }
    }
}

@Suite struct FilterTests {
    /// Equal conditions are equal as values (sets in any order), not as printed text.
    @Test func equalFiltersCompareEqualWhateverTheOrder() throws {
        #expect(try TicketFilter.parse("status:new,open tag:a,b,c priority:>=high").terms
                == TicketFilter.parse("status:open,new tag:c,b,a priority:>=high").terms)
        #expect(try TicketFilter.parse("priority:>=high").terms != TicketFilter.parse("priority:>high").terms)
        // Every field parses, completes and is listed: one enum keeps them in step.
        for f in TicketFilter.Field.allCases {
            let v = TicketFilter.values(of: f.rawValue, rules: DeskRules()).first ?? "x"
            #expect(throws: Never.self) { try TicketFilter.parse("\(f.rawValue):\(v)") }
        }
    }

    let s = SampleDesk()

    static let cases: [(String, Set<String>)] = [
        ("", ["oldEmail", "vipCall", "chat", "answered"]),
        ("channel:chat", ["chat"]),
        ("channel:email,call", ["oldEmail", "vipCall", "answered"]),
        ("status:new", ["oldEmail", "vipCall", "chat"]),
        ("status:answered,resolved", ["answered", "resolved"]),
        ("assignee:me", ["vipCall"]),
        ("assignee:none", ["oldEmail", "chat"]),
        ("assignee:bob", ["answered"]),
        ("dept:billing", ["oldEmail"]),
        ("department:technical", ["chat"]),
        ("priority:>=high", ["vipCall", "chat"]),
        ("priority:<normal", ["answered"]),
        ("priority:urgent", ["chat"]),
        ("priority:low,urgent", ["answered", "chat"]),
        ("sla:breached", ["oldEmail", "chat"]),
        ("sla:ok", ["vipCall"]),
        ("sla:paused", ["answered"]),
        ("tag:login", ["chat"]),
        ("group:vip", ["vipCall"]),
        ("group:paying -channel:chat", ["vipCall", "answered"]),
        ("rekins", ["oldEmail"]),           // accents ignored
        ("ΠΑΠΑΔΟΠΟΥΛΟΣ", ["vipCall"]),        // case ignored, Greek
        ("order 48213", ["answered"]),       // all words must match
        ("\"was due monday\"", ["answered"]),
        ("channel:email -tag:invoice", ["answered"]),
        // Issue 17's terms, at noon: who wrote, how old, how long untouched, how long waiting.
        ("from:emma@example.com", ["chat", "answered"]),
        ("from:@otenet.gr", ["vipCall"]),
        ("from:@example.com,@otenet.gr", ["chat", "answered", "vipCall"]),
        ("from:@example.co", []),
        ("queue:support", ["oldEmail"]),
        ("waiting:>0m", ["oldEmail", "vipCall", "chat"]),
        ("-waiting:>=0", ["answered"]),
        ("queue:sales,support", ["oldEmail", "vipCall"]),
        ("queue:none", ["chat", "answered"]),
        ("-queue:none", ["oldEmail", "vipCall"]),
        ("age:>4h", ["oldEmail", "answered"]),
        ("age:<1h", ["chat"]),
        ("idle:>=3h", ["oldEmail", "answered"]),
        ("idle:>=2h25m", ["oldEmail", "vipCall", "answered"]),
        ("waiting:>2h", ["oldEmail", "vipCall"]),
        ("waiting:30m", ["oldEmail", "vipCall"]),
        ("-waiting:>1h", ["chat", "answered"]),
        ("channel:email idle:>1d", []),
    ]

    @Test(arguments: cases)
    func term(_ query: String, _ expected: Set<String>) throws {
        #expect(Set(try s.names(query)) == expected, "\(query)")
    }

    @Test func idMatchesAsFreeText() throws {
        let id = s.ids["chat"]!
        #expect(try s.names(id.description) == ["chat"])
        #expect(try s.names(id.raw.lowercased()) == ["chat"])
    }

    /// `hours:` follows the desk's calendar at the moment of the view.
    @Test func hoursFollowTheCalendarNow() throws {
        let open = s.desk.rules.calendar.isOpen(at: s.now)
        let all: Set<String> = ["oldEmail", "vipCall", "chat", "answered"]
        #expect(Set(try s.names("hours:open")) == (open ? all : []))
        #expect(Set(try s.names("hours:closed")) == (open ? [] : all))
        let office = BusinessCalendar.officeHours(timeZone: .gmt)
        let at = { (text: String) in WhenParser.absolute(text)! }
        #expect(office.isOpen(at: at("2026-11-18T10:00:00Z")), "a Wednesday morning")
        #expect(!office.isOpen(at: at("2026-11-18T20:00:00Z")), "a Wednesday evening")
        #expect(!office.isOpen(at: at("2026-11-21T10:00:00Z")), "a Saturday")
    }

    @Test func allIncludesResolved() throws {
        #expect(Set(try s.names("", all: true)).contains("resolved"))
    }

    static let errors: [(String, Int, String)] = [
        ("chanel:chat", 1, "unknown field 'chanel'"),
        ("status:new status:bogus", 12, "unknown status 'bogus'"),
        ("priority:>=huge", 1, "unknown priority"),
        ("sla:late", 1, "unknown sla 'late'"),
        ("tag:", 1, "tag needs a value"),
        ("age:>soon", 1, "unknown age '>soon'"),
        ("idle:3x", 1, "unknown idle"),
        ("hours:maybe", 1, "hours is open or closed"),
        ("channel:email from:bigcorp.test", 15, "from takes an address (ann@example.com) or @domain (@example.com), not 'bigcorp.test'"),
    ]

    @Test(arguments: errors)
    func parseErrorsNameTermAndColumn(_ query: String, _ column: Int, _ fragment: String) {
        do {
            _ = try TicketFilter.parse(query)
            Issue.record("\(query) should not parse")
        } catch {
            #expect(error.column == column)
            #expect(error.description.contains(fragment), "\(error.description)")
        }
    }
}

@Suite struct OrderingTests {
    let s = SampleDesk()

    static let cases: [(QueueOrder, [String])] = [
        (.fifo, ["oldEmail", "answered", "vipCall", "chat"]),
        // Deadlines: oldEmail 10:00 and chat 11:55 (both breached), vipCall 13:30; answered is paused (last).
        (.sla, ["oldEmail", "chat", "vipCall", "answered"]),
        (.priority, ["chat", "vipCall", "oldEmail", "answered"]),
        (.value, ["vipCall", "chat", "answered", "oldEmail"]),
        // One message each, then the smallest ask (subject + body characters); answered has two messages.
        (.easiest, ["chat", "vipCall", "oldEmail", "answered"]),
        // Waiting since: answered is not waiting (last).
        (.waiting, ["oldEmail", "vipCall", "chat", "answered"]),
    ]

    @Test(arguments: cases)
    func order(_ order: QueueOrder, _ expected: [String]) throws {
        #expect(try s.names("", order: order) == expected)
    }

    @Test func cycleVisitsAllSix() {
        var o = QueueOrder.fifo
        var seen: [QueueOrder] = []
        for _ in 0..<6 { seen.append(o); o = o.next }
        #expect(Set(seen).count == 6)
        #expect(o == .fifo)
    }
}

@Suite struct FilterNarrowingTests {
    static let cases: [(String, String, Bool)] = [
        ("berz", "berzi", true),
        ("berz", "berz channel:chat", true),
        ("channel:chat", "channel:chat tag:x", true),
        ("channe", "channel:email", false),      // a word turning into a field term
        ("-spam", "-spams", false),               // a longer negated word widens
        ("refund", "refund status:resolved", false),  // naming statuses lifts the working-queue default
        ("a b", "a bc", true),
        ("a b", "ab", false),
        ("tag:x", "tag:xy", false),
    ]

    @Test(arguments: cases)
    func narrowing(_ old: String, _ new: String, _ expected: Bool) throws {
        #expect(try TicketFilter.parse(new).narrows(TicketFilter.parse(old)) == expected, "\(old) → \(new)")
    }
}
