import ArgumentParser
import Foundation
import QueueDeckDomain

struct List: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the working queue (unresolved tickets), filtered and sorted.",
        discussion: """
        FILTER terms (all must match; -term negates): channel:chat  status:new,open  assignee:me|none|USER
        dept:billing  priority:>=high  sla:at-risk|breached|ok|paused  tag:refund  group:vip
        from:ann@x.example|@x.example  queue:support  age:>3d  idle:>=4h  waiting:<30m  hours:open|closed
        and free words (ID, subject, customer, tags, first message; case and accents ignored).
        """)
    @OptionGroup var globals: GlobalOptions
    @Argument(parsing: .allUnrecognized, help: "Filter terms.") var filter: [String] = []
    @Option(name: .long, help: "fifo, sla, priority, value, easiest or waiting.") var sort: String = "sla"
    @Flag(name: .long, help: "Every status, not only unresolved tickets.") var all = false
    @Flag(name: .long, help: "Print a JSON array of tickets.") var json = false
    @OptionGroup var fullReplay: ReplayOption

    func execute() throws {
        guard let order = QueueOrder(rawValue: sort) else {
            throw Failure(code: Exit.usage, message: "unknown sort '\(sort)'; one of \(QueueOrder.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let f = try TicketFilter.parse(filter.joined(separator: " "))
        let session = try DeskSession(globals, writable: false, fullReplay: fullReplay.replay)
        let ctx = session.viewContext()
        let rows = QueueView.tickets(session.state, filter: f, order: order, all: all, context: ctx)
        if json {
            try printJSON(rows.map { TicketJSON($0, context: ctx, full: false) })
        } else {
            emit(TextFormat.table(rows, ctx))
            emit("\(rows.count) ticket\(rows.count == 1 ? "" : "s") · sorted by \(order.label)")
        }
    }
}

struct Show: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Show one ticket with its conversation and history.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The ticket ID.") var id: String
    @Flag(name: .long, help: "Print JSON with messages and history.") var json = false

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let t = try session.ticket(id)
        let ctx = session.viewContext()
        if json { try printJSON(TicketJSON(t, context: ctx, full: true)) } else {
            emit(TextFormat.show(t, ctx, others: session.state.otherTickets(of: t), awaiting: session.state.awaiting(on: t.id)))
        }
    }
}
