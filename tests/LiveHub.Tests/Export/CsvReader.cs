using System.Text;

namespace LiveHub.Tests.Export;

/// <summary>An RFC 4180 reader for the tests: quoted fields may hold commas, doubled quotes and line breaks.</summary>
public static class CsvReader
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(c is '"' or '\n' or '\r', $"Unquoted {(int)c} inside a field at {i}");
                field.Append(c);
            }
        }
        Assert.False(quoted, "A quoted field is not closed.");
        Assert.True(field.Length == 0 && row.Count == 0, "The last line does not end with CRLF.");
        return rows;
    }

    /// <summary>The rows as dictionaries keyed by the header row.</summary>
    public static List<Dictionary<string, string>> Records(string text)
    {
        var rows = Parse(text);
        var header = rows[0];
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        return rows.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
    }
}
