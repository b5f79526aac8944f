@testable import AttritionCore
import Foundation
import Testing

/// A records-system export and the mapping that reads it, written by hand.
private enum Extract {
    static let csv = """
    Crime Reference,Date Recorded,Offence Group,Borough,Victim Gender,Victim Age at Offence,Officer Name,Victim Name,Charge Date,Outcome,Result
    CR/1,03-Jan-2023,RAPE OF FEMALE 16 OR OVER,Camden,F,23,PC Smith,Jane Doe,17/02/2023 10:30,1,Guilty
    CR/2,04-feb-2023,RAPE OF FEMALE UNDER 16,Hackney,F,15,PC Jones,Ann Roe,,16,
    CR/3,2023-03-01,STALKING,Lambeth,M,40,PC Brown,Bob Poe,02/04/2023 09:00,1,Not guilty
    CR/4,1-Mar-2023,Stalking,Lambeth,u,n/k,PC Brown,Cat Loe,,,

    """

    static let mapping = """
    [columns]                 # canonical column = the header in your file
    case_id       = "Crime Reference"
    reported_date = "Date Recorded"
    crime_type    = "Offence Group"
    borough       = "Borough"
    victim_sex    = "Victim Gender"
    victim_age    = "Victim Age at Offence"
    charged_date  = "Charge Date"
    police_outcome = "Outcome"
    court_outcome = "Result"

    [dates]
    formats = ["%d-%b-%Y", "%d/%m/%Y %H:%M"]

    [values.crime_type]
    "RAPE OF FEMALE 16 OR OVER" = "Rape"
    "RAPE OF FEMALE UNDER 16"   = "Rape"

    [values.victim_sex]
    "F" = "Female"
    "M" = "Male"
    "u" = "Unknown"

    [values.victim_age]
    "n/k" = "Unknown"

    [values.court_outcome]
    "Guilty" = "convicted"
    "Not guilty" = "acquitted"

    [drop]
    columns = ["Officer Name", "Victim Name"]

    """

    /// The same cases as a canonical case file.
    static let canonical = """
    case_id,reported_date,crime_type,borough,victim_sex,victim_age,charged_date,police_outcome,court_outcome
    CR/1,2023-01-03,Rape,Camden,Female,23,2023-02-17,1,convicted
    CR/2,2023-02-04,Rape,Hackney,Female,15,,16,
    CR/3,2023-03-01,STALKING,Lambeth,Male,40,2023-04-02,1,acquitted
    CR/4,2023-03-01,Stalking,Lambeth,,,,,

    """

    static func files(mapping: String = Extract.mapping) -> (TemporaryFolder, data: String, mapping: String) {
        let folder = TemporaryFolder()
        try! csv.write(toFile: folder.file("extract.csv"), atomically: true, encoding: .utf8)
        try! mapping.write(toFile: folder.file("map.toml"), atomically: true, encoding: .utf8)
        return (folder, folder.file("extract.csv"), folder.file("map.toml"))
    }
}

@Suite struct MappingTests {
    private func load(_ data: String, mapping: String) throws -> ImportResult {
        try CaseSource.detect(path: data).load(mapping: try Mapping.load(path: mapping))
    }

    @Test func aMappedExtractAndItsCanonicalTwinGiveIdenticalSummaries() throws {
        let (folder, data, mapping) = Extract.files()
        let mapped = try load(data, mapping: mapping)
        try Extract.canonical.write(toFile: folder.file("twin.csv"), atomically: true, encoding: .utf8)
        let twin = try CaseSource.detect(path: folder.file("twin.csv")).load()
        #expect(mapped.report.rejected == 0 && mapped.report.warningCount == 0, "\(mapped.report.warnings)")
        for dimension in ["crime_type", "borough", "bcu", "victim_sex", "victim_age_band", "reported_month"] {
            let query = AnalysisQuery(view: .breakdown, dimension: dimension)
            #expect(DataTableFormat.csv.render(try query.table(of: mapped.table)) == DataTableFormat.csv.render(try query.table(of: twin.table)),
                    "by \(dimension)")
        }
        for row in 0..<mapped.table.rowCount {
            for stage in Stage.allCases {
                #expect(mapped.table.date(ofRow: row, at: stage) == twin.table.date(ofRow: row, at: stage))
            }
        }
    }

    @Test func droppedColumnsAreNeverHeld() throws {
        let (folder, data, mapping) = Extract.files()
        defer { withExtendedLifetime(folder) {} }
        let result = try load(data, mapping: mapping)
        #expect(result.report.extraDimensions.isEmpty)
        #expect(!result.table.dimensions.contains { $0.name.contains("Officer") || $0.name.contains("Victim Name") })
        for column in result.table.dimensions {
            #expect(!column.labels.contains { $0.contains("Jane") || $0.contains("PC ") })
        }
    }

    @Test func theReportNamesTheMappingAndWhatItDidNotCover() throws {
        let (folder, data, mapping) = Extract.files()
        defer { withExtendedLifetime(folder) {} }
        let report = try load(data, mapping: mapping).report
        let use = try #require(report.mapping)
        #expect(use.path == mapping)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: mapping))
        #expect(use.sha256 == ExportCheck.sha256(Array(bytes)))
        // STALKING is a canonical crime type in another case; every other value is covered.
        #expect(use.unmappedValues.isEmpty)
    }

    @Test func withoutAMappingTheExtractCannotBeRead() throws {
        let (folder, data, _) = Extract.files()
        defer { withExtendedLifetime(folder) {} }
        #expect(throws: ImportError.self) { try CaseSource.detect(path: data).load() }
    }

    @Test func attritionTomlBesideTheDataIsTheDefault() throws {
        let (folder, data, _) = Extract.files()
        try Extract.mapping.write(toFile: folder.file("attrition.toml"), atomically: true, encoding: .utf8)
        #expect(try CaseSource.detect(path: data).defaultMapping == folder.file("attrition.toml"))
    }

    /// Each malformed mapping gives one error naming the line to fix.
    @Test(arguments: [
        ("[columns\n", 1, "not valid TOML"),
        ("[columns]\ncase_idd = \"X\"\n", 2, "not a canonical column"),
        ("[columns]\ncase_id = 4\n", 2, "must be text"),
        ("[columns]\nborough = \"Boro\"\n", 2, "has no such column"),
        ("\n[dates]\nformats = [\"%d %q\"]\n", 3, "%q is not one of"),
        ("[dates]\nformats = [\"%d-%m\"]\n", 2, "needs a year"),
        ("[dates]\nformats = \"%d-%m-%Y\"\n", 2, "must be a list"),
        ("[values.victim_sex]\n\"X\" = \"Femal\"\n", 2, "not accepted for victim_sex"),
        ("[values.court_outcome]\n\"G\" = \"won\"\n", 2, "not accepted for court_outcome"),
        ("[values.colour]\n\"X\" = \"Y\"\n", 1, "not a canonical column"),
        ("[drop]\ncolumns = [\"Nope\"]\n", 2, "has no such column"),
        ("[columns]\nborough = \"Borough\"\n[drop]\ncolumns = [\"Borough\"]\n", 4, "both mapped"),
        ("[colums]\ncase_id = \"X\"\n", 1, "not a section"),
        ("[events]\ncase_id = \"URN\"\n", 1, "needs event"),
        ("[events]\ncase_id = \"URN\"\nevent = \"T\"\ndate = \"D\"\n[events.map]\n\"Charged\" = \"charge\"\n", 6, "not a meaning"),
    ])
    func aWrongMappingNamesItsLine(text: String, line: Int, words: String) throws {
        let (folder, data, mapping) = Extract.files(mapping: text)
        defer { withExtendedLifetime(folder) {} }
        do {
            _ = try load(data, mapping: mapping)
            Issue.record("no error for \(text)")
        } catch let error as MappingError {
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }

    @Test func dateFormatsReadTheirLayoutsOnly() {
        let format = try! DateFormat.parse("%d-%b-%Y").get()
        func read(_ text: String) -> String? { Array(text.utf8).withUnsafeBytes { format.date($0)?.iso } }
        #expect(read("03-Jan-2023") == "2023-01-03")
        #expect(read("3-JAN-2023") == "2023-01-03")
        #expect(read("31-Feb-2023") == nil)
        #expect(read("03-Jan-23") == nil)
        #expect(read("03-Jan-2023x") == nil)
        let withTime = try! DateFormat.parse("%d/%m/%Y %H:%M").get()
        #expect(Array("17/02/2023 10:30".utf8).withUnsafeBytes { withTime.date($0)?.iso } == "2023-02-17")
    }

    @Test func eventMeaningsAreRead() {
        #expect(EventMeaning("charged") == .stage(.charged))
        #expect(EventMeaning(" Outcome:16 ") == .police(PoliceOutcome(code: 16)!))
        #expect(EventMeaning("court:acquitted") == .court(.acquitted))
        #expect(EventMeaning("outcome:23") == nil)
        #expect(EventMeaning("court:won") == nil)
    }
}

@Suite struct MappingProposalTests {
    static let odd = """
    Crime Ref No,Date Recorded,Offence Description,BOROUGH,Victim Gender,Victim_Age (at offence),Ethnic Group,Officer Name,Victim Name,Charge Date,Outcome,Court Result,Relationship To Suspect,Notes
    CR/1,03-Jan-2023,RAPE OF FEMALE 16 OR OVER,Camden,F,23,White,PC Smith,Jane Doe,17/02/2023 10:30,1,Guilty,Partner or ex-partner,x
    CR/2,04-Feb-2023,Stalking,Hackney,W,15,Asian,PC Jones,Ann Roe,,16,,Ex-partner,y
    CR/3,2023-03-01,Stalking,Lambeth,M,40,Black,PC Brown,Bob Poe,,,,Stranger,z

    """

    @Test func oddHeadersAreMatchedToTheRightColumns() throws {
        let folder = TemporaryFolder()
        try MappingProposalTests.odd.write(toFile: folder.file("odd.csv"), atomically: true, encoding: .utf8)
        let proposal = try MappingProposal.propose(path: folder.file("odd.csv"))
        let sure = proposal.matches.filter(\.value.sure).mapValues(\.header)
        #expect(sure == [
            .caseId: "Crime Ref No", .reportedDate: "Date Recorded", .crimeType: "Offence Description", .borough: "BOROUGH",
            .victimSex: "Victim Gender", .victimAge: "Victim_Age (at offence)", .victimEthnicity: "Ethnic Group",
            .chargedDate: "Charge Date", .policeOutcome: "Outcome", .courtOutcome: "Court Result",
            .victimRelationship: "Relationship To Suspect",
        ])
        #expect(proposal.dateFormats == ["%d-%b-%Y", "%d/%m/%Y %H:%M"])
        #expect(proposal.unmatchedValues[.crimeType] == ["RAPE OF FEMALE 16 OR OVER"])
        #expect(proposal.unmatchedValues[.victimSex] == ["W"])
        #expect(proposal.unmatchedValues[.courtOutcome] == ["Guilty"])
        #expect(proposal.personalData == ["Officer Name", "Victim Name"])
        // The proposal is a valid mapping that reads the file, applying only what it says.
        try proposal.toml(for: "odd.csv").write(toFile: folder.file("attrition.toml"), atomically: true, encoding: .utf8)
        let result = try CaseSource.detect(path: folder.file("odd.csv")).load(mapping: try Mapping.load(path: folder.file("attrition.toml")))
        #expect(result.report.accepted == 3)
        #expect(result.table.dimension(named: "crime_type")!.labels == ["RAPE OF FEMALE 16 OR OVER", "Stalking"])
        #expect(result.report.extraDimensions == ["Notes"])
    }

    @Test func anUnsureMatchIsCommentedOut() {
        let matches = MappingProposal.match(["Ref", "Date of the Report", "Offence"])
        #expect(matches[.crimeType] == MappingProposal.Match(header: "Offence", sure: true))
        #expect(matches[.reportedDate]?.sure == false)
        let proposal = MappingProposal(matches: matches, dateFormats: [], unmatchedValues: [:], personalData: [], sampledRows: 0)
        #expect(proposal.toml(for: "x.csv").contains("# reported_date       = \"Date of the Report\"   # unsure: check"))
    }
}
