"""The guided lesson (Start here): links into the pages and the lesson's counted numbers."""
