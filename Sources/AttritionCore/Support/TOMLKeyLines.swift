import Foundation

/// Where each table and key of a TOML file sits, found by reading its lines (TOMLKit does not
/// report where a key was), so every error can name the line to fix.
public struct TOMLKeyLines: Sendable {
    private var lineOf: [String: Int] = [:]

    /// The lines of the tables and keys of TOML `text`.
    public init(_ text: String) {
        var table = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let name = line.dropFirst().prefix { $0 != "]" }
                table = TOMLKeyLines.unquoted(String(name))
                if lineOf[table] == nil { lineOf[table] = index + 1 }
            } else if let equals = TOMLKeyLines.keyEnd(line) {
                let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                let name = table + "\u{0}" + key
                if lineOf[name] == nil { lineOf[name] = index + 1 }
            }
        }
    }

    /// The line of `key` in `table`, or of `table`'s header when `key` is nil.
    public func line(_ table: String, _ key: String?) -> Int? {
        lineOf[key.map { table + "\u{0}" + $0 } ?? table]
    }

    /// Where a `key = value` line's key ends (the `=` outside quotes), if it is one.
    private static func keyEnd(_ line: String) -> String.Index? {
        var quoted = false
        for index in line.indices {
            switch line[index] {
            case "\"": quoted.toggle()
            case "=" where !quoted: return index
            case "#" where !quoted: return nil
            default: continue
            }
        }
        return nil
    }

    /// A table or key name without its quotes, dotted parts joined (`values."crime_type"` → `values.crime_type`).
    private static func unquoted(_ name: String) -> String {
        name.split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            .joined(separator: ".")
    }
}
