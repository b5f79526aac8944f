import Foundation
import Testing

private let cases = """
case_id,reported_date,crime_type,bcu,referred_date,charged_date
1,2023-01-01,Rape,North,2023-02-01,2023-03-01
2,2023-01-01,Stalking,North,,
3,2023-01-01,Rape,South,2023-02-01,
4,not a date,Rape,South,,

"""

@Suite struct CommandLineTests {
    @Test func summaryCSVOnStandardOutputDiagnosticsOnStandardError() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", cases)
        let result = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--filter", "crime_type=Rape", "--no-suppress"])
        #expect(result.status == 0)
        let lines = result.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("bcu,reported,referred,charged,prosecuted,convicted") == true)
        #expect(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",") }
            == ["North,1,1,1", "South,1,1,0", "Total,2,2,1"])
        #expect(result.err.contains("4 rows read, 3 accepted, 1 rejected"))
        #expect(result.err.contains("suppression: NOT FOR PUBLICATION: small counts shown"))
        // Suppressed by default: a CSV is for publishing; its metadata (with the audit) goes to standard error.
        let published = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--filter", "crime_type=Rape"])
        #expect(published.out.split(separator: "\n").dropFirst().allSatisfy { $0.split(separator: ",")[1] == "[c]" })
        #expect(published.err.contains("disclosure_audit: interval attack (GLPK"))
    }

    @Test func unknownDimensionIsOneLineAndNonZero() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", cases)
        let result = try attrition(["summary", file, "--by", "region"])
        #expect(result.status == 2)
        #expect(result.out.isEmpty)
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.err.hasPrefix("attrition: unknown dimension 'region'; choose one of: crime_type, bcu,"))
    }

    @Test func unreadableFileAndMissingColumnAreOneLineAndNonZero() throws {
        let missing = try attrition(["summary", "/no/such/cases.csv", "--by", "bcu"])
        #expect(missing.status == 1)
        #expect(missing.err == "attrition: cannot read /no/such/cases.csv: No such file or directory\n")
        let scratch = TemporaryFolder()
        let file = scratch.write("bad.csv", "case_id,reported_date,bcu\n1,2023-01-01,North\n")
        let noColumn = try attrition(["validate", file])
        #expect(noColumn.status == 1)
        #expect(noColumn.err == "attrition: \(file), line 1: missing required column 'crime_type' (the header has 'case_id', 'reported_date', 'bcu'); "
            + "if the file names it differently, map it: attrition map \(file) > attrition.toml\n")
    }

    @Test func validateWritesRejectsAndNeverOverwritesUnasked() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", cases)
        let rejects = scratch.path + "/rejects.csv"
        let first = try attrition(["validate", file, "--rejects", rejects, "--format", "json"])
        #expect(first.status == 0)
        #expect(first.out.contains("\"rejected\": [{\"line\": 5, \"reason\": \"reported_date 'not a date' is not a date"))
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "case_id,reported_date,crime_type,bcu,referred_date,charged_date\n4,not a date,Rape,South,,\n")
        let second = try attrition(["validate", file, "--rejects", rejects])
        #expect(second.status == 1)
        #expect(second.err == "attrition: \(rejects) already exists; choose another name or pass --force to replace it\n")
        #expect(try attrition(["validate", file, "--rejects", rejects, "--force"]).status == 0)
    }

    @Test func noArgumentsShowsTheBuiltInSample() throws {
        let result = try attrition([])
        #expect(result.status == 0)
        #expect(result.out.contains("Funnel by crime_type"))
        #expect(result.out.contains("Rape"))
        #expect(result.err.contains("london-vawg-sample.csv (built-in sample)"))
    }

    @Test func sampleWithDefaultsWritesTheShippedFileByteForByte() throws {
        let scratch = TemporaryFolder()
        let out = scratch.path + "/sample.csv"
        #expect(try attrition(["sample", "--out", out]).status == 0)
        let shipped = try Data(contentsOf: repositoryRoot.appendingPathComponent("SampleData/london-vawg-sample.csv"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == shipped)
    }

    @Test func sampleOfFiftyCasesHasAHeaderAndFiftyRowsAndIsNeverWrittenOver() throws {
        let scratch = TemporaryFolder()
        let out = scratch.path + "/sample.csv"
        #expect(try attrition(["sample", "--cases", "50", "--out", out]).status == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 51)
        let again = try attrition(["sample", "--cases", "50", "--seed", "9", "--out", out])
        #expect(again.status == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == text)
    }

    @Test func everyAnalysisCommandWritesItsTable() throws {
        let expectations: [([String], String)] = [
            (["reasons", "--by", "bcu", "--stage", "reported"], "bcu,stage,reason,count,closed_at_stage,share,open_at_stage"),
            (["timing", "--by", "crime_type"], "crime_type,stage,timed,q1_days,median_days,q3_days,no_date,dates_out_of_order,still_open,km_median_days"),
            (["compare", "--by", "bcu", "--step", "charged"], "bcu,numerator,denominator,rate,ci_low,ci_high,flag,test,funnel_position"),
            (["survival", "--by", "bcu", "--stage", "charged", "--days", "180"], "bcu,cases,reached,ci_low,ci_high,reached_stage,closed_before,open_censored,left_out"),
            (["heatmap", "--rows", "bcu", "--columns", "crime_type"], "bcu,crime_type,numerator,denominator,rate,ci_low,ci_high,reliable"),
            (["trend", "--by", "crime_type", "--step", "charged", "--mature", "12"], "crime_type,reported_quarter,numerator,denominator,rate"),
        ]
        for (arguments, header) in expectations {
            let result = try attrition(arguments + ["--format", "csv"])
            #expect(result.status == 0, "\(arguments)")
            #expect(result.out.hasPrefix(header), "\(arguments): \(result.out.prefix(120))")
        }
        let wrongStep = try attrition(["compare", "--step", "reported"])
        #expect(wrongStep.status == 2)
        #expect(wrongStep.err == "attrition: no step is 'reported' in this file; its values are: referred, charged, prosecuted, convicted\n")
    }

    @Test func exportWritesSuppressedFilesWithMetadataAndNeverOverwritesUnasked() throws {
        let scratch = TemporaryFolder()
        let out = scratch.path + "/rape-bcu.csv"
        let first = try attrition(["export", "--view", "breakdown", "--by", "bcu", "--filter", "crime_type=Rape", "--format", "csv", "--out", out,
                                   "--layout", "tidy"])
        #expect(first.status == 0)
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(csv.hasPrefix("bcu,reported,referred,charged,prosecuted,convicted,"))
        #expect(csv.contains("[c]"))
        let metadata = try String(contentsOfFile: scratch.path + "/rape-bcu.metadata.txt", encoding: .utf8)
        #expect(metadata.contains("source: london-vawg-sample.csv (built-in sample)"))
        #expect(metadata.contains("filters: crime_type = Rape"))
        let again = try attrition(["export", "--view", "breakdown", "--by", "bcu", "--format", "csv", "--out", out])
        #expect(again.status == 1)
        #expect(again.err.contains("already exists; choose another name or pass --force"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == csv)
        let open = try attrition(["export", "--view", "breakdown", "--by", "bcu", "--filter", "crime_type=Rape", "--format", "csv", "--out", out,
                                       "--force", "--no-suppress"])
        #expect(open.status == 0)
        #expect(!(try String(contentsOfFile: out, encoding: .utf8)).contains("[c]"))
    }
}

/// police.uk data through the command line: detected from what it is given, every command reading it.
@Suite struct PoliceUKCommandLineTests {
    @Test func everyCommandReadsTheArchiveAndTheFolderAlike() throws {
        let scratch = TemporaryFolder()
        let folder = scratch.path + "/police-data", archive = scratch.path + "/police-data.zip"
        for out in [folder, archive] {
            let made = try attrition(["sample", "--format", "police-uk", "--forces", "2", "--months", "3", "--rows-per-month", "200", "--out", out])
            #expect(made.status == 0, "\(made.err)")
        }
        let csv = try attrition(["summary", folder, "--by", "crime_type", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(try attrition(["summary", archive, "--by", "crime_type", "--format", "csv"]).out == csv.out)
        // referred: an empty cell in every row, never 0.
        let lines = csv.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let referred = try #require(lines.first?.firstIndex(of: "referred"))
        #expect(lines.dropFirst().allSatisfy { $0[referred].isEmpty })
        let json = try attrition(["summary", archive, "--by", "force", "--format", "json"])
        #expect(json.out.contains(#""referred": null"#) && !json.out.contains(#""referred": 0"#))
        let validate = try attrition(["validate", archive])
        #expect(validate.status == 0)
        #expect(validate.out.contains("(stop and search)"))
        #expect(validate.out.contains("of crimes outside these files"))
        for command in [["reasons"], ["timing"], ["compare", "--by", "force"], ["heatmap", "--rows", "force"], ["trend"]] {
            let run = try attrition(command + [folder])
            #expect(run.status == 0, "\(command): \(run.err)")
        }
        let victims = try attrition(["summary", folder, "--by", "victim_age_band"])
        #expect(victims.status == 2 && victims.err.contains("No victim characteristics"))
        let rejects = scratch.path + "/rejects.csv"
        #expect(try attrition(["validate", folder, "--rejects", rejects]).status == 0)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).hasPrefix("file,line,reason,record\n"))
    }
}

@Suite struct PoliceUKInputSafetyTests {
    /// A file of the police.uk folder being read is never written over, whatever --force says.
    @Test func aFileInTheInputFolderIsNeverReplaced() throws {
        let scratch = TemporaryFolder()
        let folder = scratch.path + "/data"
        #expect(try attrition(["sample", "--format", "police-uk", "--forces", "1", "--months", "1", "--rows-per-month", "20", "--out", folder]).status == 0)
        let street = folder + "/2024-09/2024-09-metropolitan-street.csv"
        let before = try Data(contentsOf: URL(fileURLWithPath: street))
        let run = try attrition(["export", folder, "--view", "breakdown", "--by", "crime_type", "--format", "csv", "--out", street, "--force"])
        #expect(run.status == 1 && run.err.contains("will not write"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: street)) == before)
        let rejects = try attrition(["validate", folder, "--rejects", street, "--force"])
        #expect(rejects.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: street)) == before)
    }
}

/// An extract as a records system exports it, read through a mapping on the command line.
@Suite struct MappingCommandLineTests {
    @Test func mapProposesAndTheMappingIsUsedOrRefusedWithItsLine() throws {
        let scratch = TemporaryFolder()
        let extract = scratch.write("extract.csv", """
        Crime Ref No,Date Recorded,Offence Description,Borough,Victim Gender,Victim Name
        CR/1,03-Jan-2023,Rape,Camden,F,Jane Doe
        CR/2,04-Feb-2023,Stalking,Hackney,M,Ann Roe

        """)
        let proposed = try attrition(["map", extract])
        #expect(proposed.status == 0)
        #expect(proposed.out.contains("case_id             = \"Crime Ref No\""))
        #expect(proposed.out.contains("columns = [\"Victim Name\"]"))
        // Without a mapping the extract cannot be read, and the message says how to make one.
        let unread = try attrition(["summary", extract])
        #expect(unread.status == 1 && unread.err.contains("attrition map"))
        // attrition.toml beside the data is used by default, and named in the account.
        _ = scratch.write("attrition.toml", proposed.out)
        let summary = try attrition(["summary", extract, "--by", "crime_type", "--format", "csv", "--no-suppress"])
        #expect(summary.status == 0, "\(summary.err)")
        #expect(summary.out.contains("Rape,1,"))
        #expect(summary.err.contains("extract.csv: 2 rows read, 2 accepted, 0 rejected, 0 warnings; mapping \(scratch.path)/attrition.toml (SHA-256 "))
        let validate = try attrition(["validate", extract, "--format", "json"])
        #expect(validate.out.contains("\"mapping\": {\"path\": \"\(scratch.path)/attrition.toml\""))
        #expect(!validate.out.contains("Jane"))
        // A wrong mapping: one line naming the mapping's line, exit status 2, before any data is read.
        let wrong = scratch.write("wrong.toml", "[columns]\ncase_id = \"Crime Ref No\"\ncrime_kind = \"Offence Description\"\n")
        let refused = try attrition(["summary", extract, "--mapping", wrong])
        #expect(refused.status == 2)
        #expect(refused.err == "attrition: mapping \(wrong), line 3: 'crime_kind' is not a canonical column; the columns are "
            + "case_id, reported_date, crime_type, bcu, borough, victim_sex, victim_age, victim_ethnicity, victim_disability, "
            + "victim_relationship, repeat_victim, referred_date, charged_date, prosecuted_date, convicted_date, police_outcome, "
            + "court_outcome, count, outcome_date\n")
        // The mapping is an input: never written over.
        let over = try attrition(["validate", extract, "--rejects", scratch.path + "/attrition.toml", "--force"])
        #expect(over.status == 1 && over.err.contains("will not write"))
    }

    @Test func anEventFileGivenOnTheCommandLineGivesTheJourneysAndIsNamedInTheAccount() throws {
        let scratch = TemporaryFolder()
        let mapping = scratch.write("map.toml", """
        [columns]
        case_id = "URN"
        reported_date = "Recorded"
        crime_type = "Offence"
        borough = "Borough"

        [events]
        case_id = "URN"
        event   = "Event Type"
        date    = "Event Date"

        [events.map]
        "Charged" = "charged"
        "NFA Outcome 16" = "outcome:16"

        """)
        let cases = scratch.write("cases.csv", "URN,Recorded,Offence,Borough\nA,2023-01-10,Rape,Camden\nB,2023-01-11,Rape,Camden\nC,2023-01-12,Stalking,Hackney\n")
        let events = scratch.write("events-2023.csv", """
        URN,Event Type,Event Date
        A,Charged,2023-02-01
        B,NFA Outcome 16,2023-03-01
        Z,Charged,2023-03-03
        C,Sentenced,2023-04-04

        """)
        let summary = try attrition(["summary", cases, "--mapping", mapping, "--events", events, "--by", "crime_type",
                                     "--format", "csv", "--no-suppress"])
        #expect(summary.status == 0, "\(summary.err)")
        // A charged (open), B closed at report with outcome 16, C open at report; Z is of no case, C's event unmapped.
        #expect(summary.out.contains("Rape,2,,1,,,0,,1,,1,,0,,1,2,"))
        #expect(summary.out.contains("Stalking,1,,0,,,1,,0,,0,,0,,0,1,"))
        #expect(summary.err.contains("cases.csv: 3 rows read, 3 accepted, 0 rejected, 1 warning; mapping \(mapping) (SHA-256 "))
        #expect(summary.err.contains("; events \(events): 4 rows, 2 applied (details: attrition validate"))
        // Without --events the mapping names no event file, so the case file would be the event log: it has no event column.
        let alone = try attrition(["summary", cases, "--mapping", mapping, "--by", "crime_type", "--format", "csv", "--no-suppress"])
        #expect(alone.status == 2 && alone.out.isEmpty)
        #expect(alone.err == "attrition: mapping \(mapping), line 9: event = 'Event Type', but \(cases) has no such column\n")
    }
}
