/// A line of intake input that cannot be used, named by file, line, byte offset and field.
public struct IntakeInputError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var offset: Int64
    public var field: String
    public var problem: String

    public init(file: String, line: Int, offset: Int64, field: String, problem: String) {
        self.file = file
        self.line = line
        self.offset = offset
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(file):\(line) (byte \(offset)): \(field): \(problem)" }
}
