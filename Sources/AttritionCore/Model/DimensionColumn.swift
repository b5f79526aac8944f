import Foundation

/// One dimension of the case table, dictionary-encoded: a code per case and a label per code.
public struct DimensionColumn: Sendable {
    /// The dimension's name as used on the command line (`bcu`, `victim_age_band`, an extra column's header).
    public let name: String
    /// Group labels in display order; a case's code indexes this array.
    public let labels: [String]
    /// The group code of every case, in row order.
    public let codes: [UInt32]

    /// A column from labels and codes already in display order.
    public init(name: String, labels: [String], codes: [UInt32]) {
        self.name = name
        self.labels = labels
        self.codes = codes
    }

    /// The code of the group whose label matches `label` case-insensitively after trimming.
    public func code(ofLabel label: String) -> Int? {
        let key = CategoryKey.of(label)
        return labels.firstIndex { CategoryKey.of($0) == key }
    }

    /// Bytes held by the codes.
    var footprint: Int { codes.capacity * MemoryLayout<UInt32>.stride }
}

/// How categorical values are compared: trimmed, case-insensitive.
enum CategoryKey {
    static func of(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
