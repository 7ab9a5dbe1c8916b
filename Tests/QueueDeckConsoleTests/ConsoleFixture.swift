import Foundation
import QueueDeckDomain
import QueueDeckJournal
@testable import QueueDeckConsole

/// A console on a real journal in a temporary folder, with a clock the test sets.
final class ConsoleFixture {
    let dir: String
    let path: String
    let rules: DeskRules
    var now = Instant(ms: 1_795_600_000_000)  // a Tuesday afternoon, UTC
    private(set) var desk: ConsoleDesk!
    private(set) var controller: ConsoleController!

    static let roster = [
        Agent(user: "anna", name: "Anna Ozola", role: .agent, departments: ["billing"]),
        Agent(user: "bob", name: "Bob Kalns", role: .supervisor, departments: ["technical"]),
        Agent(user: "customer", name: "customer", role: Role(name: "intake", permissions: [.create, .inbound])),
    ]

    init(user: String = "anna", keyMap: KeyMap<ConsoleAction> = .agent) {
        dir = NSTemporaryDirectory() + "qdeck-console-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir + "/desk.journal"
        var r = DeskRules(agents: ConsoleFixture.roster, departments: [Department(name: "billing"), Department(name: "technical")],
                          contactGroups: [ContactGroup(name: "vip", value: 100)],
                          sla: SLAPolicy(fallback: SLATargets(firstResponse: .hours(4), nextResponse: .hours(4), resolution: .hours(24))))
        r.cannedResponses = [CannedResponse(name: "thanks", text: "Thank you!"), CannedResponse(name: "greet", text: "Thank you, {first_name}!")]
        rules = r
        _ = try! FileJournal(path: path, create: true)
        open(user: user, keyMap: keyMap)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func open(user: String, keyMap: KeyMap<ConsoleAction> = .agent) {
        let j = try! FileJournal(path: path)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        state.apply(try! j.readNew())
        desk = ConsoleDesk(journal: j, rules: rules, actor: rules.agent(user: user)!, state: state, clock: { [unowned self] in self.now })
        desk.drafts = try! DraftStore(directory: dir + "/drafts")
        controller = ConsoleController(desk: desk, keyMap: keyMap)
    }

    /// Another process's hand: appends through a second journal handle.
    @discardableResult
    func external(_ c: Command, as user: String = "customer", at: Instant? = nil) throws -> [StoredEvent] {
        let j = try FileJournal(path: path)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        state.apply(try j.readNew())
        let ctx = CommandContext(actor: rules.agent(user: user)!, now: at ?? now, rules: rules, newTicketID: {
            var g = SystemRandomNumberGenerator()
            return TicketID.random(using: &g)
        })
        let d = try Commands.decide(c, state: state, context: ctx)
        return try j.append(d.events, expecting: d.expectedVersions)
    }

    @discardableResult
    func ticket(_ channel: Channel = .email, subject: String, customer: String = "Ilze Bērziņa", minutesAgo: Int64 = 30,
                priority: Priority = .normal) -> TicketID {
        let e = try! external(.create(TicketOpening(channel: channel, customer: Customer(name: customer, email: "c@example.com"),
                                                    subject: subject, body: "Body of \(subject)", priority: priority)), at: now - .minutes(minutesAgo))
        return e[0].event.ticket
    }

    func keys(_ ks: Key...) {
        for k in ks { _ = controller.handle(k) }
    }

    func type(_ s: String) { for c in s { _ = controller.handle(.char(c)) } }

    func screen(_ rows: Int = 24, _ cols: Int = 80) -> Grid {
        controller.tick(now)
        return ConsoleView.render(controller, rows: rows, cols: cols)
    }
}
