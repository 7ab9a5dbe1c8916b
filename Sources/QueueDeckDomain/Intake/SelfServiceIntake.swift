extension Intake {
    /// A self-service interaction: recorded once by its key, on no ticket.
    public static func selfService(_ r: SelfServiceRecord, at: Instant, state: DeskState) -> IntakeOutcome {
        if let seen = state.intakeKeys[r.key] { return .nothing(.duplicate(seen)) }
        return IntakeOutcome(result: .recorded, decision: Decision(
            events: [Event(ticket: .desk, at: at, actor: "system", kind: .selfService(r))], expectedVersions: [:]))
    }
}
