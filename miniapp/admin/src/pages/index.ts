// Every admin page registers itself on import; a new page is a new file listed here.
import './Dashboard';
import './Lookup';
import './Reviews';
import './Deferral';
import './Parties';
import './Keys';
import './Audit';
import './Questions';
import './Staff';
