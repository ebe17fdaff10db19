import Foundation
import MCP
import Scheduler

/// Converts between the scheduler's JSON values and the MCP SDK's, so that tool
/// arguments are read with the same checks as HTTP bodies and tool results carry the
/// same JSON as the HTTP API.
extension JSONValue {
    public init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .number(Double(int))
        case .double(let double): self = .number(double)
        case .string(let string): self = .string(string)
        case .data(let mimeType, let data):
            self = .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .object(let fields): self = .object(fields.mapValues(JSONValue.init))
        }
    }
}

extension MCP.Value {
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { self = .int(Int(number)) } else { self = .double(number) }
        case .string(let string): self = .string(string)
        case .array(let items): self = .array(items.map(MCP.Value.init))
        case .object(let fields): self = .object(fields.mapValues(MCP.Value.init))
        }
    }
}
