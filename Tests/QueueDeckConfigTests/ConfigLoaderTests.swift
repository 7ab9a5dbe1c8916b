import Foundation
import QueueDeckDomain
import Testing
@testable import QueueDeckConfig

@Suite struct ConfigLoaderTests {
    func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "qdeck-config-\(UUID().uuidString).yaml"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsAreValidAndComplete() throws {
        let r = try ConfigLoader.load(teamFile: nil)
        #expect(r.agents.count >= 5)
        #expect(r.departments.map(\.name).contains("billing"))
        #expect(r.role(named: "team-lead")?.permissions.contains(.reassignAny) == true)
        #expect(r.contactGroups.first { $0.name == "vip" }?.value == 100)
        #expect(r.autoCloseAfter == .days(4))
        #expect(r.sla.atRiskFraction == 0.25)
        #expect(r.sla.fallback.firstResponse == .hours(8))
        #expect(r.sla.rules.first?.priority == .urgent)
        // Monday 08:00–20:00, Sunday closed, Christmas a holiday.
        #expect(r.calendar.week[0] == [MinuteRange(start: 480, end: 1200)])
        #expect(r.calendar.week[6].isEmpty)
        #expect(r.calendar.holidays.contains(CivilDate(year: 2026, month: 12, day: 25).dayNumber))
        #expect(r.unknownUserRole == .agent)
    }

    /// The defaults' comment is where an admin writing a custom role looks up permission names; a
    /// review found contact.edit missing there (and from the team-lead role).
    @Test func theDefaultsNameEveryPermission() throws {
        let comment = ConfigLoader.defaultsText.split(separator: "\n").filter { $0.hasPrefix("#") }.joined(separator: " ")
        for p in Permission.allCases { #expect(comment.contains(p.rawValue), "\(p.rawValue) is not listed in defaults.yaml") }
        #expect(try ConfigLoader.load(teamFile: nil).role(named: "team-lead")?.permissions.contains(.contacts) == true)
    }

    /// A team file may say where the desk's journal is, for hosts told nothing else (issue 16: an
    /// agent's host needs only the team file); a value that is not one address is a named mistake.
    @Test func aTeamFileNamesTheDesksJournal() throws {
        let path = write("journal: postgresql://anna@db.example.org/desk?sslmode=verify-full\n")
        #expect(try ConfigLoader.load(teamFile: path).agents.count > 0)
        #expect(ConfigLoader.journal(explicitTeamFile: path, environment: [:]) == "postgresql://anna@db.example.org/desk?sslmode=verify-full")
        #expect(ConfigLoader.journal(explicitTeamFile: nil, environment: ["QDECK_CONFIG": path]) != nil)
        #expect(ConfigLoader.journal(explicitTeamFile: write("timezone: UTC\n"), environment: ["XDG_CONFIG_HOME": "/nonexistent"]) == nil)
        let e = #expect(throws: ConfigErrors.self) { try ConfigLoader.load(teamFile: write("timezone: UTC\njournal: [a, b]\n")) }
        #expect(e?.description.contains(":2:") == true && e?.description.contains("postgresql://") == true, "\(String(describing: e))")
    }

    @Test func teamFileReplacesWholeSections() throws {
        let path = write("""
        timezone: Europe/Riga
        business_hours: { mon: "09:00-12:00, 13:00-18:00", tue: 24h }
        agents:
          - { user: alice, name: Alice Liepa, role: supervisor, departments: [billing] }
        unknown_users: none
        auto_close_after: 3d
        """)
        let r = try ConfigLoader.load(teamFile: path)
        #expect(r.agents.map(\.user) == ["alice"])
        #expect(r.agents[0].role == .supervisor)
        #expect(r.calendar.timeZone.identifier == "Europe/Riga")
        #expect(r.calendar.week[0] == [MinuteRange(start: 540, end: 720), MinuteRange(start: 780, end: 1080)])
        #expect(r.calendar.week[1] == [MinuteRange(start: 0, end: 1440)])
        #expect(r.calendar.week[2].isEmpty)  // days not named are closed
        #expect(r.unknownUserRole == nil)
        #expect(r.autoCloseAfter == .days(3))
        #expect(r.departments.count == 4)  // not in the team file: the defaults stay
        #expect(throws: DomainError.unknownAgent("mallory")) { try r.actingAgent(user: "mallory") }
    }

    static let mistakes: [(String, Int, String)] = [
        ("colour: blue\n", 1, "unknown section 'colour'"),
        ("rules:\n  - { name: a, on: sometimes, then: { resolve: true } }\n", 2, "unknown on: 'sometimes'"),
        ("rules:\n  - name: a\n    on: created\n    if: \"channel:fax\"\n    then: { resolve: true }\n", 4, "unknown channel 'fax'"),
        ("rules:\n  - name: a\n    on: created\n    then: { department: space }\n", 4, "unknown department 'space'"),
        ("rules:\n  - name: a\n    on: created\n    then:\n      reply: nosuch\n", 5, "no canned response 'nosuch'"),
        ("rules:\n  - name: a\n    on: created\n    then: { assignee: ghost }\n", 4, "'ghost' is not an agent"),
        ("rules:\n  - name: a\n    on: created\n    then: { notify: everyone }\n", 4, "unknown 'everyone'"),
        ("rules:\n  - name: a\n    on: created\n    then: { sing: true }\n", 4, "unknown key 'sing'"),
        ("rules:\n  - name: a\n    on: created\n", 2, "needs then:"),
        ("rules:\n  - name: a\n    on: time\n    then: { resolve: true }\n", 2, "a time rule needs an if:"),
        ("distribution: {}\nrules: []\ndistribution:\n  billing: { mode: round-robin }\n", 3, "section 'distribution' is given twice (the first at line 1)"),
        ("canned_responses:\n  - { name: hi, text: \"Dear {first_name}, {agnet} has {Ticket}\" }\nrules:\n  - name: a\n    on: created\n    then: { reply: hi }\n", 6, "has {agnet}, {Ticket}, which are no placeholders"),
        ("rules:\n  - name: a\n    on: time\n    if: assignee:me\n    then: { resolve: true }\n", 4, "assignee:me means nobody in a rule"),
        ("distribution:\n  space: { mode: least-loaded }\n", 2, "unknown department 'space'"),
        ("distribution:\n  billing: { mode: random }\n", 2, "one of round-robin, least-loaded"),
        ("distribution:\n  billing: { capacity: { fax: 2 } }\n", 2, "unknown key 'fax'"),
        ("auto_reply_period: often\n", 1, "not a duration"),
        ("timezone: Mars/Olympus\n", 1, "unknown time zone 'Mars/Olympus'"),
        ("business_hours:\n  mon: \"18:00-09:00\"\n", 2, "hours '18:00-09:00'"),
        ("business_hours:\n  funday: closed\n", 2, "unknown day 'funday'"),
        ("holidays: [2026-02-30]\n", 1, "holiday '2026-02-30'"),
        ("agents:\n  - { user: bob, role: wizard }\n", 2, "unknown role 'wizard'"),
        ("agents:\n  - { user: bob, departments: [space] }\n", 2, "unknown department 'space'"),
        ("agents:\n  - { name: Nobody }\n", 2, "agent needs a user"),
        ("agents:\n  - { user: a }\n  - { user: a }\n", 3, "listed twice"),
        ("roles:\n  helper: [ticket.fly]\n", 2, "unknown permission 'ticket.fly'"),
        ("roles:\n  agent: [ticket.reply]\n", 2, "built in"),
        ("sla:\n  at_risk: 140%\n", 2, "at_risk '140%'"),
        ("sla:\n  rules:\n    - { priority: severe, first_response: 1h }\n", 3, "unknown priority 'severe'"),
        ("sla:\n  rules:\n    - { department: moon, first_response: 1h }\n", 3, "unknown department 'moon'"),
        ("sla:\n  rules:\n    - { channel: fax, first_response: 1h }\n", 3, "unknown channel 'fax'"),
        ("sla:\n  default: { first_response: soon }\n", 2, "first_response 'soon'"),
        ("sla:\n  default: { first_respons: 1h }\n", 2, "unknown key 'first_respons'"),
        ("auto_close_after: never\n", 1, "auto_close_after 'never'"),
        ("unknown_users: wizard\n", 1, "no role 'wizard'"),
        ("agents: [\n", 2, "YAML syntax"),
        ("wall:\n  thresholds:\n    queue_length: { amber: 1, red: 2 }\n", 3, "unknown key 'queue_length'"),
        ("wall:\n  thresholds:\n    waiting: { amber: 10, red: 5 }\n", 3, "red must be at or above amber"),
        ("wall:\n  thresholds:\n    sla_compliance: { amber: 80, red: 90 }\n", 3, "red must be at or below amber"),
        ("wall:\n  thresholds:\n    waiting: { amber: lots }\n", 3, "wall.thresholds.waiting.amber 'lots'"),
        ("wall:\n  thresholds:\n    oldest_waiting: { red: ages }\n", 3, "wall.thresholds.oldest_waiting.red 'ages'"),
        ("wall:\n  colours: {}\n", 2, "unknown key 'colours'"),
        ("intake:\n  address: nobody\n", 2, "intake.address must be an email address"),
        ("intake:\n  send_replies: sometimes\n", 2, "intake.send_replies must be true or false"),
        ("intake:\n  queues: { sales: moon }\n", 2, "intake.queues.sales: unknown department 'moon'"),
        ("intake:\n  queues: [a]\n", 2, "intake.queues must map"),
        ("agents:\n  - { user: a, phone: [PJSIP/1] }\n  - { user: b, phone: [PJSIP/1] }\n", 3, "phone name 'PJSIP/1' is already another agent's"),
    ]

    @Test func intakeSettingsAndPhoneNames() throws {
        let path = write("intake:\n  address: \"Acme <help@acme.example>\"\n  send_replies: false\n  queues: { Invoices: billing }\nagents:\n  - { user: bob, phone: [PJSIP/2001, Agent/2001] }\n")
        let r = try ConfigLoader.load(teamFile: path)
        #expect(r.intake.domain == "acme.example" && !r.intake.sendReplies)
        #expect(r.department(forQueue: "invoices") == "billing" && r.department(forQueue: "technical") == "technical")
        #expect(r.department(forQueue: "nowhere") == nil)
        #expect(r.agent(external: "pjsip/2001")?.user == "bob" && r.agent(external: "PJSIP/9") == nil)
        let defaults = try ConfigLoader.load(teamFile: nil)
        #expect(defaults.intake.sendReplies && defaults.department(forQueue: "support") == "general")
    }

    @Test func wallThresholdsOverrideOneMetricAtATime() throws {
        let defaults = try ConfigLoader.load(teamFile: nil)
        #expect(defaults.thresholds == BoardThresholds())
        let path = write("wall:\n  thresholds:\n    waiting: { amber: 2, red: 4 }\n    oldest_waiting: { amber: 90s, red: 5m }\n    sla_compliance: { amber: 95%, red: 85 }\n")
        let r = try ConfigLoader.load(teamFile: path)
        #expect(r.thresholds.limits[.waiting] == Threshold(amber: 2, red: 4))
        #expect(r.thresholds.limits[.oldestWaiting] == Threshold(amber: 90, red: 300))
        #expect(r.thresholds.limits[.slaCompliance] == Threshold(amber: 95, red: 85))
        #expect(r.thresholds.limits[.breached] == BoardThresholds.defaults[.breached])
        #expect(r.thresholds.level(.waiting, 3) == .warn)
    }

    @Test(arguments: mistakes)
    func mistakesNameFileAndLine(_ text: String, _ line: Int, _ fragment: String) {
        let path = write(text)
        do {
            _ = try ConfigLoader.load(teamFile: path)
            Issue.record("\(text) should be refused")
        } catch {
            let e = error.errors[0]
            #expect(e.file == path)
            #expect(e.line == line, "\(e)")
            #expect(e.description.contains(fragment), "\(e)")
        }
    }

    /// The issue's example rules, as an admin writes them.
    @Test func rulesAndDistributionLoad() throws {
        let path = write("""
            rules:
              - name: refunds to billing
                on: created
                if: "channel:email refund"
                then: { department: billing, priority: high, tags: [+refund, -new] }
                stop: true
              - name: escalate at risk
                on: time
                if: "sla:at-risk -tag:escalated"
                then: { tags: [+escalated], department: escalations, notify: supervisors }
              - name: close the loop
                on: time
                if: "status:answered idle:>3d"
                then: { reply: closing, resolve: true, assignee: distribute }
            distribution: { billing: { mode: round-robin, capacity: { email: 20, chat: 3, call: 1 } } }
            auto_reply_period: 12h
            """)
        let a = try ConfigLoader.load(teamFile: path).automation
        #expect(a.rules.map(\.name) == ["refunds to billing", "escalate at risk", "close the loop"])
        let condition = try TicketFilter.parse("channel:email refund")
        #expect(a.rules[0].on == .created && a.rules[0].stop && a.rules[0].condition == condition)
        #expect(a.rules[0].actions == [.department("billing"), .priority(.high), .tags(add: ["refund"], remove: ["new"])])
        #expect(a.rules[1].actions == [.department("escalations"), .tags(add: ["escalated"], remove: []), .notify([.supervisors])])
        #expect(a.rules[2].actions == [.assignee(.distribute), .reply(canned: "closing"), .resolve])
        #expect(a.distribution["billing"] == Distribution(mode: .roundRobin, capacity: [.email: 20, .chat: 3, .call: 1]))
        #expect(a.autoReplyPeriod == .hours(12))
    }

    /// A filter mistake in a rule's `if:` points at the term itself: line and column in the file.
    @Test func aRuleFilterMistakeNamesItsColumn() {
        let path = write("rules:\n  - name: a\n    on: created\n    if: \"channel:email prio:>=hgh\"\n    then: { resolve: true }\n")
        do {
            _ = try ConfigLoader.load(teamFile: path)
            Issue.record("should be refused")
        } catch {
            let e = error.errors[0]
            #expect(e.line == 4 && e.column == 24, "\(e)")
            #expect(e.description.contains("rule 'a': filter term 'prio:>=hgh' at column 15"), "\(e)")
        }
    }

    /// A review: a misspelt on: hid every mistake in the same rule's then:.
    @Test func aRulesMistakesAreReportedTogether() {
        let path = write("rules:\n  - name: a\n    on: creatd\n    if: \"chanel:email\"\n    then: { department: space, reply: nosuch }\n")
        do { _ = try ConfigLoader.load(teamFile: path) } catch {
            #expect(error.errors.count == 4, "\(error.errors)")
        }
    }

    @Test func everyMistakeIsReportedNotJustTheFirst() {
        let path = write("timezone: Nowhere\nagents:\n  - { user: x, role: nope }\nauto_close_after: x\n")
        #expect(throws: ConfigErrors.self) { try ConfigLoader.load(teamFile: path) }
        do { _ = try ConfigLoader.load(teamFile: path) } catch { #expect(error.errors.count == 3) }
    }

    @Test func teamFileSearchOrder() throws {
        let dir = NSTemporaryDirectory() + "qdeck-cfg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/desk.journal"
        #expect(ConfigLoader.teamFilePath(explicit: nil, journalPath: journal, environment: ["HOME": dir]) == nil)
        try "agents: []\n".write(toFile: dir + "/team.yaml", atomically: true, encoding: .utf8)
        #expect(ConfigLoader.teamFilePath(explicit: nil, journalPath: journal, environment: [:]) == dir + "/team.yaml")
        #expect(ConfigLoader.teamFilePath(explicit: nil, journalPath: journal, environment: ["QDECK_CONFIG": "/x.yaml"]) == "/x.yaml")
        #expect(ConfigLoader.teamFilePath(explicit: "/y.yaml", journalPath: journal, environment: ["QDECK_CONFIG": "/x.yaml"]) == "/y.yaml")
    }
}

@Suite struct KeyBindingsFileTests {
    @Test func teamThenUserWithPlaces() throws {
        let dir = NSTemporaryDirectory() + "qdeck-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let team = dir + "/team.yaml", user = dir + "/keys.yaml"
        try "timezone: UTC\nkeys:\n  reply: R\n".write(toFile: team, atomically: true, encoding: .utf8)
        try "keys:\n  resolve: [x, C-r]\n  note: N\n".write(toFile: user, atomically: true, encoding: .utf8)
        let s = try KeyBindingsFile.load(teamFile: team, userFile: user)
        #expect(s.map(\.action) == ["reply", "resolve", "note"])
        #expect(s[1].keys == ["x", "C-r"])
        #expect(s[0].place == "\(team):3:3")
        #expect(s[2].place == "\(user):3:3")
        // The team file with a keys: section still loads as a desk configuration.
        _ = try ConfigLoader.load(teamFile: team)
        // The user's own file may be the bare mapping.
        try "reply: R\n".write(toFile: user, atomically: true, encoding: .utf8)
        #expect(try KeyBindingsFile.load(teamFile: nil, userFile: user).map(\.action) == ["reply"])
        try "keys:\n  reply: {a: b}\n".write(toFile: user, atomically: true, encoding: .utf8)
        #expect(throws: ConfigErrors.self) { try KeyBindingsFile.load(teamFile: nil, userFile: user) }
    }

    /// Issue 13, item 8: deep nesting of every kind (flow, block, and mappings) is composed on a
    /// stack sized for it, or refused by name; never a crash.
    @Test func deeplyNestedFilesAreReadOrRefusedNeverCrash() throws {
        let block = "departments:\n" + (0..<2_500).map { String(repeating: " ", count: $0) + "-" }.joined(separator: "\n") + "\n"
        for text in ["departments: " + String(repeating: "[", count: 9_000) + String(repeating: "]", count: 9_000),
                     "departments: " + String(repeating: "{a: ", count: 4_000) + "1" + String(repeating: "}", count: 4_000),
                     block] {
            let path = ConfigLoaderTests().write(text)
            #expect(throws: ConfigErrors.self) { try ConfigLoader.load(teamFile: path) }
            _ = try? KeyBindingsFile.load(teamFile: path, userFile: nil)  // no keys section: nothing to say, but no crash
        }
        let over = ConfigLoaderTests().write("keys: " + String(repeating: "[", count: 12_000))
        #expect {
            try KeyBindingsFile.load(teamFile: nil, userFile: over)
        } throws: { e in
            (e as? ConfigErrors)?.errors.first?.message.contains("the limit is 10000") == true
        }
    }

    /// The level bound never underestimates: quotes cannot hide an opener from it.
    @Test func theNestingBoundCountsEveryOpenerAndIndent() {
        #expect(YAMLSource.levelBound("a: [\"]]]]\", [[1]]]").levels >= 4)
        #expect(YAMLSource.levelBound("a:\n  - - - b: 1\n").levels >= 5)
        #expect(YAMLSource.levelBound("a: b\n").levels < 5)
    }

    /// A team file that replaces departments breaks the built-in agents: the error points at the
    /// team file, not at a line of the built-in defaults the admin never wrote.
    @Test func errorsCausedByAReplacedSectionBlameTheTeamFile() throws {
        let path = ConfigLoaderTests().write("timezone: UTC\ndepartments:\n  - { name: sales }\n")
        #expect {
            try ConfigLoader.load(teamFile: path)
        } throws: { e in
            guard let errors = (e as? ConfigErrors)?.errors else { return false }
            return errors.allSatisfy { $0.file == path && $0.line == 3 }
                && errors.contains { $0.message.contains("departments section replaces the built-in one") && $0.message.contains("define agents in this file too") }
        }
    }
}
