import AttritionCore
import Foundation
import Testing

/// A messy-but-valid file must give exactly the figures of its clean twin.
@Suite struct MessyTwinTests {
    private let clean = """
    case_id,reported_date,crime_type,bcu,borough,victim_sex,victim_age,referred_date,charged_date,prosecuted_date,convicted_date,police_outcome,court_outcome
    1,2023-01-05,Rape,Central North,Camden,Female,23,2023-02-01,2023-03-01,2023-05-01,2023-09-01,,convicted
    2,2023-01-05,Rape,Central East,Hackney,Female,17,,,,,16,
    3,2023-02-10,Stalking,Central West,Kensington and Chelsea,Male,40,2023-03-01,,,,,
    4,2023-04-10,Stalking,South,Croydon,Female,52,2023-05-01,2023-06-01,2023-07-01,,,acquitted
    5,2023-04-11,Domestic abuse,South,Croydon,Female,33,2023-05-01,,,,15,
    6,2023-07-11,"Domestic abuse",North,Enfield,Female,61,,,,,,

    """

    private var messy: [UInt8] {
        let text = "\u{FEFF}Victim_Age , COURT_OUTCOME,Case_ID,Reported_Date ,crime_type,Borough,bcu,victim_sex,Notes,referred_date,charged_date,prosecuted_date,convicted_date,police_outcome\r\n"
            + "23,Convicted,1,05/01/2023,Rape,camden,,F,\"said \"\"call back\"\"\r\nlater\",01/02/2023,01/03/2023,01/05/2023,01/09/2023,\r\n"
            + "17,,2, 2023-01-05 ,rape,HACKNEY,,female,,,,,,Outcome 16\r\n"
            + " 40 ,,3,10/02/2023,Stalking,Kensington & Chelsea,,MALE,\"a, b\",01/03/2023,,,,\r\n"
            + "52,ACQUITTED,4,10/04/2023,STALKING ,Croydon,South,Female,,01/05/2023,01/06/2023,01/07/2023,,\r\n"
            + "33,,5,11/04/2023,Domestic abuse,croydon,,Female,,01/05/2023,,,,15\r\n"
            + "61,,6,11/07/2023,Domestic Abuse,Enfield,,Female,,,,,,\r\n"
        return Array(text.utf8)
    }

    @Test(arguments: ["bcu", "crime_type", "borough", "victim_sex", "victim_age_band", "reported_quarter"])
    func sameSummaryAsItsCleanTwin(dimension: String) throws {
        let cleanTable = try importText(clean).table
        let messyResult = try importBytes(messy)
        #expect(messyResult.report.rejections.isEmpty)
        #expect(messyResult.report.warnings.isEmpty)
        let messyTable = messyResult.table
        let a = try FunnelAnalysis.funnel(of: cleanTable, by: cleanTable.requireDimension(dimension))
        let b = try FunnelAnalysis.funnel(of: messyTable, by: messyTable.requireDimension(dimension))
        #expect(DataTableFormat.csv.render(AnalysisTables.funnel(a, filter: CaseFilter()))
            == DataTableFormat.csv.render(AnalysisTables.funnel(b, filter: CaseFilter())))
        #expect(SummaryFormat.json.render(a, filter: CaseFilter()) == SummaryFormat.json.render(b, filter: CaseFilter()))
        #expect(messyTable.dimension(named: "notes") != nil)
    }
}
