namespace Hanzo.Zt.Cli.Admin;

/// <summary>Runs a verb's body and turns every expected failure into one line on standard error and exit code 1.</summary>
internal static class CliFailure
{
    public static async Task<int> RunAsync(string verb, TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is ZtException or IOException or UnauthorizedAccessException or HttpRequestException
            or System.Text.Json.JsonException or TaskCanceledException or UriFormatException)
        {
            string message = e is TaskCanceledException ? "the request timed out" : e.Message;
            await error.WriteLineAsync($"zt {verb}: {OneLine(message)}");
            return 1;
        }
    }

    /// <summary>Folds a message onto one line, so every error is exactly one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
