import AttritionCore
import Foundation

/// The command line that prints what is on screen, so any view can be reproduced in a script.
enum EquivalentCommand {
    /// `attrition summary FILE --by bcu --filter crime_type=Rape --basis closed` for `state`'s page;
    /// nil on pages that show no view of the data.
    static func text(_ state: AppState) -> String? {
        guard let query = state.query else { return nil }
        var words = ["attrition"]
        let step = query.stage.map(\.name)
        switch query.view {
        case .funnel: words += ["export", "--view", "funnel", "--format", "md", "--out", "-"]
        case .breakdown: words += ["summary", "--by", query.dimension]
        case .reasons: words += ["reasons", "--by", query.dimension] + (step.map { ["--stage", $0] } ?? [])
        case .timing: words += ["timing", "--by", query.dimension]
        case .compare: words += ["compare", "--by", query.dimension] + (step.map { ["--step", $0] } ?? [])
        case .heatmap: words += ["heatmap", "--rows", query.dimension, "--columns", query.columns] + (step.map { ["--step", $0] } ?? [])
        case .trend: words += ["trend", "--by", query.dimension] + (step.map { ["--step", $0] } ?? [])
        case .scorecard: words += ["scorecard", "--by", query.dimension]
        case .survival: words += ["survival", "--by", query.dimension] + (step.map { ["--stage", $0] } ?? []) + ["--days", String(query.days)]
        }
        if !state.report.file.hasSuffix("(built-in sample)") { words.insert(state.report.file, at: 2) }
        if let mapping = state.report.mapping { words += ["--mapping", mapping.path] }
        if let events = state.report.events { words += ["--events", events.file] }
        for (dimension, values) in query.filter.allowed.sorted(by: { $0.key < $1.key }) {
            for value in values.sorted() { words += ["--filter", "\(dimension)=\(value)"] }
        }
        if let months = state.maturityMonths { words += ["--mature", String(months)] }
        let rates: Set<AnalysisView> = [.breakdown, .compare, .heatmap, .trend]
        if query.basis == .closed, rates.contains(query.view) { words += ["--basis", "closed"] }
        if [.breakdown, .compare].contains(query.view) {
            if let adjust = query.adjust { words += ["--adjust", adjust] }
            if query.correction != .holm { words += ["--correction", query.correction.rawValue] }
        }
        if query.view == .compare {
            if let reference = query.reference { words += ["--reference", reference] }
            if query.overdispersion != .none { words += ["--overdispersion", query.overdispersion.rawValue] }
        }
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
