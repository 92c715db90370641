using System.Globalization;
using System.Text;

namespace LiveHub.Web.Export;

/// <summary>
/// RFC 4180 CSV for spreadsheets: CRLF line ends, fields quoted when they hold a comma, quote or line break, UTF-8 with a
/// byte order mark (so Excel reads Indonesian text right), and text that a spreadsheet would run as a formula made inert.
/// </summary>
public static class Csv
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows)
        {
            AppendRow(text, row);
        }
        var body = Encoding.UTF8.GetBytes(text.ToString());
        return [.. Bom, .. body];
    }

    /// <summary>
    /// One cell as text. Numbers are written invariantly; text starting with = + - @ (or a tab or carriage return) gets a
    /// leading apostrophe, so a question like "=HYPERLINK(…)" stays text in Excel, LibreOffice and Google Sheets.
    /// </summary>
    public static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => Inert(s),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Inert(value.ToString() ?? ""),
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    private static string Inert(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    private static void AppendRow(StringBuilder text, IEnumerable<object?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                text.Append(',');
            }
            text.Append(Cell(cell));
            first = false;
        }
        text.Append("\r\n");
    }
}
