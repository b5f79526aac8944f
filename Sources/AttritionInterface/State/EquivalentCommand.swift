import AttritionCore
import Foundation

/// The command line that prints what is on screen, so any view can be reproduced in a script.
enum EquivalentCommand {
    /// `attrition summary FILE --by bcu --filter crime_type=Rape --basis closed` for `state`'s page:
    /// the command of the page's view with every setting of its query the view reads (from its
    /// descriptor), the file, mapping and event file, filters and maturity; nil on pages that show
    /// no view of the data.
    static func text(_ state: AppState) -> String? {
        guard let query = state.query else { return nil }
        var words = ["attrition", query.view.descriptor.command.name]
        if !state.report.file.hasSuffix("(built-in sample)") { words.append(state.report.file) }
        words += query.commandLineOptions(shaping: true)
        if let mapping = state.report.mapping { words += ["--mapping", mapping.path] }
        if let events = state.report.events { words += ["--events", events.file] }
        for (dimension, values) in query.filter.allowed.sorted(by: { $0.key < $1.key }) {
            for value in values.sorted() { words += ["--filter", "\(dimension)=\(value)"] }
        }
        if let months = state.maturityMonths { words += ["--mature", String(months)] }
        words += query.commandLineOptions(shaping: false)
        return words.map(quoted).joined(separator: " ")
    }

    /// A word as a POSIX shell reads it: as it is when plain, else in single quotes.
    static func quoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "-_=./:,+@%".unicodeScalars.contains(scalar)
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
