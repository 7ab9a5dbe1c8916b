import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// The desk the console and wall benchmarks run on: N open tickets over two weeks, in five
/// languages, across the three channels, a third of them answered.
enum BenchDesk {
    static let rules = DeskRules(
        agents: [Agent(user: "anna", name: "Anna", role: .agent), Agent(user: "bob", name: "Bob", role: .supervisor)],
        departments: [Department(name: "billing"), Department(name: "technical")],
        contactGroups: [ContactGroup(name: "vip", value: 100)],
        sla: SLAPolicy(fallback: SLATargets(firstResponse: .hours(8), nextResponse: .hours(8), resolution: .hours(40))),
        calendar: .officeHours(timeZone: TimeZone(identifier: "UTC")!))

    /// Writes the desk to a new journal at `path` and returns its rules.
    static func write(path: String, tickets n: Int, now: Instant) -> DeskRules {
        let words = ["refund", "invoice", "login", "parcel", "password", "crash", "Rēķins", "Поръчка", "εφαρμογή", "VAT"]
        let names = ["Ilze Bērziņa", "Tomas Jankauskas", "Иван Петров", "Γιώργος Παπαδόπουλος", "Emma Thompson"]
        let journal = try! FileJournal(path: path, create: true)
        var batch: [Event] = []
        var rng = SeededGenerator(seed: 42)
        for i in 0..<n {
            let id = StressWriter.ticketID(writer: 3, n: i)
            let at = now - .minutes(Int64(rng.next() % 20_000))
            let w = words[Int(rng.next() % UInt64(words.count))]
            batch.append(Event(ticket: id, at: at, actor: "customer", kind: .created(TicketOpening(
                channel: [.email, .call, .chat][i % 3], customer: Customer(name: names[i % names.count], email: "c\(i % 9000)@example.com", groups: i % 10 == 0 ? ["vip"] : []),
                subject: "\(w) question \(i)", body: "Customer text about \(w) number \(i).", priority: Priority(rawValue: i % 4)!))))
            if i % 3 == 0 { batch.append(Event(ticket: id, at: at + 60_000, actor: "anna", kind: .agentReply(body: "On it"))) }
            if batch.count >= 2000 { _ = try! journal.append(batch, expecting: [:]); batch = [] }
        }
        if !batch.isEmpty { _ = try! journal.append(batch, expecting: [:]) }
        return rules
    }
}
