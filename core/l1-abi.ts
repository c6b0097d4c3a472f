import { parseAbi } from "viem";

// The TypeScript mirror of the L1 contracts' external interface, for viem's typed calls.
// test/contracts/abi.test.ts checks every item here against the compiled artifacts.

const bridgeErrors = [
  "error UnknownToken(uint32 tokenId)",
  "error TokenAlreadyRegistered(address token, uint32 tokenId)",
  "error TokenNotContract(address token)",
  "error IncorrectEthValue(uint256 sent, uint256 expected)",
  "error PublicKeyNotOnCurve(uint256 ax, uint256 ay)",
  "error LockedAmountExceedsCap(uint32 tokenId, uint256 locked, uint256 amount)",
  "error TransferAmountMismatch(address token, uint256 expected, uint256 received)",
  "error BatchNotFinal(uint256 batchIndex)",
  "error WithdrawalAlreadyClaimed(uint256 batchIndex, uint256 position)",
  "error InvalidWithdrawalProof(uint256 batchIndex, uint256 position)",
  "error PositionOutOfRange(uint256 position)",
  "error WithdrawalAmountOutOfRange(uint256 amount)",
  "error EthTransferFailed(address recipient, uint256 amount)",
] as const;

const rollupErrors = [
  "error PayloadLengthNotMultiple(uint256 length, uint256 recordSize)",
  "error QueueEndBeyondQueue(uint64 queueEnd, uint256 queueLength)",
  "error QueueEndBeforeQueueStart(uint64 queueEnd, uint64 queueStart)",
  "error TooManyBatchOps(uint256 ops, uint256 max)",
  "error QueueEntryOverdue(uint256 index, uint64 deadline)",
  "error InsufficientBond(address proposer, uint256 bond, uint256 required)",
  "error BondLocked(address proposer, uint256 batchIndex)",
  "error BatchNotFound(uint256 index, uint256 batchCount)",
  "error ChallengeWindowOpen(uint256 index, uint256 finalizableAt)",
  "error EthTransferFailed(address recipient, uint256 amount)",
] as const;

/** ABI of the Bridge: custody, the L1 queue, withdrawal claims. */
export const bridgeAbi = parseAbi([
  "function rollup() view returns (address)",
  "function inclusionWindow() view returns (uint64)",
  "function tokenCount() view returns (uint32)",
  "function tokenAddress(uint32 tokenId) view returns (address)",
  "function totalLocked(uint32 tokenId) view returns (uint256)",
  "function registerToken(address token) returns (uint32 tokenId)",
  "function tokenIdOf(address token) view returns (bool registered, uint32 tokenId)",
  "function createAccount(uint32 tokenId, uint128 amount, uint256 ax, uint256 ay) payable",
  "function deposit(uint32 accountIdx, uint32 tokenId, uint128 amount) payable",
  "function forcedExit(uint32 accountIdx)",
  "function queueLength() view returns (uint256)",
  "function queueHash(uint256 index) view returns (uint256)",
  "function queueDeadline(uint256 index) view returns (uint64)",
  "function claimWithdrawal(uint256 batchIndex, uint256 position, address recipient, uint32 tokenId, uint256 amount, uint256[7][5] proof)",
  "function isClaimed(uint256 batchIndex, uint256 position) view returns (bool)",
  "event TokenRegistered(uint32 indexed tokenId, address indexed token)",
  "event QueueEntryAdded(uint256 indexed index, uint8 kind, address indexed l1Address, uint32 tokenId, uint32 accountIdx, uint128 amount, uint256 ax, uint256 ay, uint256 queueHash, uint64 deadline)",
  "event WithdrawalClaimed(uint256 indexed batchIndex, uint256 indexed position, address indexed recipient, uint32 tokenId, uint256 amount)",
  ...bridgeErrors,
]);

/** ABI of the Rollup: batches, bonds, the challenge window, finality. */
export const rollupAbi = parseAbi([
  "struct BatchSubmission { uint64 queueEnd; uint256 postStateRoot; uint256 withdrawalsRoot; bytes32 stepsRoot; address feeRecipient; uint32[4] feeTokens; }",
  "function bridge() view returns (address)",
  "function levels() view returns (uint256)",
  "function l2ChainId() view returns (uint64)",
  "function challengeWindow() view returns (uint64)",
  "function minBond() view returns (uint256)",
  "function genesisStateRoot() view returns (uint256)",
  "function domain() view returns (uint256)",
  "function batchCount() view returns (uint256)",
  "function lastQueueEnd() view returns (uint64)",
  "function lastStateRoot() view returns (uint256)",
  "function isFinal(uint256 index) view returns (bool)",
  "function finalizableAt(uint256 index) view returns (uint256)",
  "function withdrawalsRootOf(uint256 index) view returns (uint256)",
  "function bonds(address proposer) view returns (uint256)",
  "function depositBond() payable",
  "function withdrawBond(uint256 amount)",
  "function submitBatch(BatchSubmission s, bytes payload) returns (bytes32 commitment)",
  "function finalizeUpTo(uint256 index)",
  "function grantRole(bytes32 role, address account)",
  "function PROPOSER_ROLE() view returns (bytes32)",
  "event BatchSubmitted(uint256 indexed index, bytes32 indexed commitment, address indexed proposer, uint256 preStateRoot, uint256 postStateRoot, uint256 withdrawalsRoot, bytes32 stepsRoot, bytes32 dataHash, uint64 queueStart, uint64 queueEnd, address feeRecipient, uint32[4] feeTokens)",
  "event BatchFinalized(uint256 indexed index)",
  ...rollupErrors,
]);

/** The ERC20 calls the client needs (and TestERC20's mint). */
export const erc20Abi = parseAbi([
  "function balanceOf(address owner) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function mint(address to, uint256 amount)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
]);
