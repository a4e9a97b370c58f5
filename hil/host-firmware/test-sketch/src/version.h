// Karoo's test sketch (see ../README.md).
#pragma once

#define CURRENT_VERSION "KarooTestSketch/1"
