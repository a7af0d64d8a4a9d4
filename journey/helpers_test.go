package journey

import "github.com/cxkit/cxkit/csat"

func csatSevenPoint() csat.Scale { return csat.SevenPoint }
