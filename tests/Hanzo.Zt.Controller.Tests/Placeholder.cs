namespace Hanzo.Zt.Controller.Tests;
