import ArgumentParser
import AttritionCore
import Foundation

/// Writes a one-line diagnostic to standard error, through the one sanitiser: a path or an
/// argument in it can carry no escape sequence or bidirectional override to the terminal, and a
/// huge value in it (a 50 MB header, an argument) is shown by its ends, not whole.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("attrition: " + DisplayText.capped(DisplayText.sanitized(message)) + "\n").utf8))
}

/// Runs `body`, turning the errors users can cause into one line on standard error and an exit
/// status: 1 when the file could not be read, 2 when the request was wrong.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ImportError {
        printError(error.description)
        throw ExitCode(1)
    } catch let error as QueryError {
        printError(error.description)
        throw ExitCode(2)
    } catch let error as OutputError {
        printError(error.description)
        throw ExitCode(1)
    } catch let error as MappingError {
        printError(error.description)
        throw ExitCode(2)
    }
}

/// The name the built-in sample goes by in messages and reports.
let builtInSampleName = "\(SampleSpec.shippedFileName) (built-in sample)"

/// Imports the cases at `path` — a case file, or police.uk data as a folder, archive or street
/// file, told apart by `CaseSource` — or the built-in sample when `path` is nil, showing progress
/// on standard error when it is a terminal and the source is large.
func loadCases(path: String?, reading: ReadOptions, rejectSink: RejectSink? = nil) throws -> ImportResult {
    guard let path else {
        if let named = reading.mapping {
            throw MappingError(file: named, line: nil, reason: "a mapping needs a data file to apply to; the built-in sample is in the case-journey format")
        }
        var importer = CaseImporter(fileName: builtInSampleName)
        importer.rejectSink = rejectSink
        importer.limits = reading.limits
        return try importer.importCases(from: CSVScanner(source: MemoryByteSource(SampleGenerator.bytes(.shipped))))
    }
    // A pipe or FIFO is copied first, so it is read from its start however often the readers look.
    let stream = StreamCopy.isStream(path) ? try StreamCopy(of: path, timeout: Double(reading.streamTimeout)) : nil
    let readPath = stream?.path ?? path
    let source = try CaseSource.detect(path: readPath)
    // Read before any data, so a wrong mapping costs nothing.
    let mapping = try (reading.mapping ?? (stream == nil ? source.defaultMapping : nil)).map(Mapping.load(path:))
    let meter = ProgressLine(label: "Reading \(DisplayText.sanitized(path))")
    let shown = meter.isShown(forBytes: source == .caseFile(readPath) ? fileSize(readPath) : .max)
    defer { meter.finish() }
    return try withExtendedLifetime(stream) {
        try source.load(limits: reading.limits, progress: shown ? { meter.update($0) } : nil, rejectSink: rejectSink,
                        mapping: mapping, events: reading.events, encoding: reading.encoding, shownAs: stream == nil ? nil : path)
    }
}

private func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}

/// Writes the account of an import to standard error, each line through the one sanitiser.
func writeImportSummary(_ report: ImportReport) {
    let lines = importSummaryLine(report).split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.sanitized(String($0)) }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// The one-line account of an import, for standard error.
func importSummaryLine(_ report: ImportReport) -> String {
    var line = report.snapshot.map { "snapshot \(DisplayText.sanitized($0.path)) (saved \($0.saved)) of " } ?? ""
    line += "\(DisplayText.sanitized(report.file)): \(report.rows) rows read, \(report.accepted) accepted, "
    if report.skipped > 0 { line += "\(report.skipped) skipped, " }
    line += "\(report.rejected) rejected, \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")"
    if let files = report.sourceFiles {
        line += "; \(files.read.count) \(report.format) files read, \(files.passedOver.count) passed over, "
            + "\(files.eventRows) outcome rows (\(files.eventsOutside) of crimes outside these files)"
    }
    if let mapping = report.mapping {
        line += "; mapping \(mapping.shownName)"
    }
    if let events = report.events {
        line += "; events \(DisplayText.sanitized(events.file)): \(events.rows) rows, \(events.applied) applied"
    }
    if report.rejectedTotal + report.warningCount > 0 {
        line += " (details: attrition validate \(report.snapshot?.path ?? report.file))"
    }
    for change in report.snapshot?.changedSources ?? [] { line += "\nNOT CURRENT: " + DisplayText.sanitized(change) }
    return line
}

/// A progress line on standard error, redrawn at most ten times a second.
final class ProgressLine {
    private let label: String
    private var lastDrawn = Date.distantPast
    private var drawn = false
    private static let threshold: Int64 = 8 << 20

    init(label: String) { self.label = label }

    /// True when standard error is a terminal and the file is big enough to be worth it.
    func isShown(forBytes size: Int64) -> Bool { isatty(2) == 1 && size >= ProgressLine.threshold }

    func update(_ progress: ImportProgress) {
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = now
        drawn = true
        var text = "\r\u{1B}[K\(label): \(progress.rows) rows"
        if let total = progress.totalBytes, total > 0 {
            text += String(format: ", %.0f%% of %.1f MB", Double(progress.bytesRead) * 100 / Double(total), Double(total) / 1e6)
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

extension ValidationFormat: ExpressibleByArgument {}
extension RateBasis: ExpressibleByArgument {}

/// How the data is read: through which mapping, and within which bounds.
struct ReadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The mapping file for a records-system extract (default: attrition.toml beside the data, if there is one; docs/mapping.md).",
                               valueName: "FILE.toml"))
    var mapping: String?

    @Option(help: ArgumentHelp("The event file giving the cases' journeys, one row per event (default: the mapping's [events] file).",
                               valueName: "FILE.csv"))
    var events: String?

    /// Every file a command reading `file` will read — the data, the mapping, the event file —
    /// worked out before reading, for a file opened before the import (a rejects file). After
    /// the import, `ImportReport.inputFiles` says the same. None may be written over.
    func inputs(for file: String?) -> [String] {
        guard let file else { return [] }
        let mappingPath = mapping ?? (try? CaseSource.detect(path: file))?.defaultMapping
        let eventsPath = events ?? mappingPath.flatMap { try? Mapping.load(path: $0) }?.events?.file
        return [file] + [mappingPath, eventsPath].compactMap { $0 }
    }

    @Option(help: ArgumentHelp("The case file's character encoding: utf-8, windows-1252, utf-16 or utf-32 (default: told from the file).",
                               valueName: "NAME"))
    var encoding: TextEncoding?

    @Option(help: ArgumentHelp("Leave out an extra column once it has more than this many distinct values.", valueName: "N"))
    var maxDistinct = ImportLimits().maxDistinct

    @Option(help: ArgumentHelp("How long to wait for a pipe or FIFO given as the file to send its data, in seconds.", valueName: "SECONDS"))
    var streamTimeout = 30

    @Option(help: ArgumentHelp("Stop the import cleanly if the cases would take more than this many MiB (default: three quarters of memory).",
                               valueName: "MIB"))
    var maxMemory: Int?

    func validate() throws {
        try check("--max-distinct", maxDistinct, in: 1...100_000_000, "distinct values")
        if let maxMemory { try check("--max-memory", maxMemory, in: 16...(1 << 30), "MiB") }
        try check("--stream-timeout", streamTimeout, in: 1...86_400, "seconds")
    }

    /// The limits these options set.
    var limits: ImportLimits {
        ImportLimits(maxDistinct: maxDistinct, maxMemory: maxMemory.map { $0 << 20 } ?? ImportLimits.defaultMaxMemory)
    }
}

extension TextEncoding: ExpressibleByArgument {}

/// The options of every output that can be published: small counts withheld and audited unless turned off.
struct PublicationOptions: ParsableArguments {
    @Option(help: "Withhold counts from 1 up to one below this (csv, md, xlsx, svg and every export).")
    var suppressBelow = Suppression().threshold
    @Flag(help: "Show small counts: for internal use only, and every output then says NOT FOR PUBLICATION.")
    var noSuppress = false

    @Option(help: ArgumentHelp("The release ledger every suppressed table is audited with and recorded in (default: SOURCE.ledger.json beside the data; attrition ledger lists it).",
                               valueName: "FILE.json"))
    var ledger: String?
    @Flag(help: "Publish without the release ledger: the table is audited on its own and recorded nowhere.")
    var noLedger = false

    func validate() throws {
        try check("--suppress-below", suppressBelow, in: 2...1000, "the suppression threshold")
        if noLedger, ledger != nil { throw ValidationError("--ledger and --no-ledger cannot go together") }
    }

    /// The rule these options set for tables of the data `source` read: suppression, and the
    /// ledger (none for unsuppressed output, which is not a publication).
    func publication(for source: ImportReport) throws -> Publication {
        guard !noSuppress else { return Publication(suppression: nil) }
        let path = noLedger ? nil : ledger ?? ReleaseLedger.defaultPath(for: source.file)
        if let path { try AtomicFile.refuseInput(path, inputs: source.inputFiles) }
        return Publication(suppression: Suppression(threshold: suppressBelow), ledger: path)
    }
}
