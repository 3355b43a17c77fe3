using System.IO.Pipes;
using Hanzo.Zt.Cli.Commands;

namespace Hanzo.Zt.Cli.Tests;

/// <summary>zt dial enlarges the pipes it is given on standard input and output (Linux), and leaves anything else alone.</summary>
public sealed class StandardPipesTests
{
    [Fact]
    public void A_pipe_grows_to_a_mebibyte()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        int descriptor = (int)pipe.SafePipeHandle.DangerousGetHandle();
        StandardPipes.SizeOf(descriptor).ShouldBeLessThan(StandardPipes.Bytes);

        StandardPipes.TryEnlarge(descriptor).ShouldBeTrue();

        StandardPipes.SizeOf(descriptor).ShouldBe(StandardPipes.Bytes);
    }

    [Fact]
    public void A_file_is_not_a_pipe_and_is_left_alone()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            int descriptor = (int)file.DangerousGetHandle();

            StandardPipes.TryEnlarge(descriptor).ShouldBeFalse();
            StandardPipes.SizeOf(descriptor).ShouldBe(-1);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
